/**
 * Logs VS Code will not hand to the server (over 50 MB): read from disk by URI, summarised (their
 * findings pushed as diagnostics for the file's URI), and sliced into small virtual documents
 * whose lines the server maps back to the original file (related information, document links).
 */
import * as l10n from '@vscode/l10n';
import { runOrFail } from './run';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CancellationToken,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  type Connection,
  type DocumentLink,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeLogFile } from '../core/bundle/inputs';
import { HEADER } from '../core/log/entry';
import { decodeFile, SliceFilterError, sliceLog } from '../core/log/slice';
import { CancelledError } from '../core/types';
import {
  LogSliceRequestMethod,
  LogSummaryRequestMethod,
  type LogSliceParams,
  type LogSliceResult,
  type LogSummary,
  type LogSummaryParams,
  type SliceFilter,
} from '../shared/protocol';
import { findingView } from '../shared/report';
import { toDiagnostic } from './diagnostics';

/** Slices whose line maps are remembered (the most recent ones; older slices lose their links). */
const MAX_SLICES = 50;

interface SliceOrigin {
  uri: string;
  lines: Int32Array;
}

const slices = new Map<string, SliceOrigin>();

function remember(sliceUri: string, origin: SliceOrigin): void {
  slices.delete(sliceUri);
  slices.set(sliceUri, origin);
  while (slices.size > MAX_SLICES) slices.delete(slices.keys().next().value!);
}

/** For a line of a slice document, its place in the original log; undefined for other documents and separators. */
export function originOf(uri: string, line: number): { uri: string; line: number } | undefined {
  const s = slices.get(uri);
  if (!s || line < 0 || line >= s.lines.length) return undefined;
  const at = s.lines[line]!;
  return at < 0 ? undefined : { uri: s.uri, line: at };
}

/** The `(tick, +N ms)` prefix of a header line. */
const TICK_PREFIX = /^\(\d{1,20}, \+-?\d{1,12} ms\)/;

/**
 * For each entry header of a slice document, a link over its `(tick, +N ms)` prefix to the same
 * line of the original file (`file:///…#L<n>`, which VS Code opens at that line). Empty for other
 * documents. For the lead to serve as `textDocument/documentLink`.
 */
export function sliceLinks(uri: string, doc: TextDocument): DocumentLink[] {
  const s = slices.get(uri);
  if (!s) return [];
  const links: DocumentLink[] = [];
  const name = baseNameOf(s.uri);
  const count = Math.min(doc.lineCount, s.lines.length);
  for (let line = 0; line < count; line++) {
    const at = s.lines[line]!;
    if (at < 0) continue;
    const text = doc.getText({ start: { line, character: 0 }, end: { line, character: 80 } });
    if (!HEADER.test(text)) continue;
    const prefix = TICK_PREFIX.exec(text);
    if (!prefix) continue;
    links.push({
      range: { start: { line, character: 0 }, end: { line, character: prefix[0].length } },
      target: `${s.uri}#L${at + 1}`,
      tooltip: l10n.t('Line {0} of {1}', at + 1, name),
    });
  }
  return links;
}

function baseNameOf(uri: string): string {
  try {
    return path.posix.basename(decodeURIComponent(new URL(uri).pathname));
  } catch {
    return uri;
  }
}

/** A `file:` URI to a path of a regular file, or a ResponseError that says why not. */
async function fileOf(uri: string): Promise<{ file: string; bytes: number }> {
  let file: string;
  try {
    if (!/^file:/i.test(uri)) throw new Error('scheme');
    file = fileURLToPath(uri);
  } catch {
    throw new ResponseError(ErrorCodes.InvalidParams, l10n.t('Bundle Lens reads large logs from files on this machine only (file: URIs); {0} is not one.', uri));
  }
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (e) {
    throw new ResponseError(LSPErrorCodes.RequestFailed, l10n.t('{0} does not exist or cannot be opened ({1}).', file, (e as NodeJS.ErrnoException).code ?? String(e)));
  }
  if (!stat.isFile()) throw new ResponseError(LSPErrorCodes.RequestFailed, l10n.t('{0} is not a file.', file));
  return { file, bytes: stat.size };
}

/** The error a read failure becomes (a file that vanished or turned unreadable mid-read). */
function readError(e: unknown, file: string): unknown {
  if (e instanceof CancelledError || e instanceof ResponseError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code) return new ResponseError(LSPErrorCodes.RequestFailed, l10n.t('{0} cannot be read ({1}).', file, code));
  return e;
}

function sliceFilterOf(raw: unknown): SliceFilter {
  const f = (raw ?? {}) as Record<string, unknown>;
  const filter: SliceFilter = {};
  if (f['errorsOnly'] === true) filter.errorsOnly = true;
  if (typeof f['component'] === 'string' && f['component']) filter.component = f['component'];
  if (typeof f['text'] === 'string' && f['text']) filter.text = f['text'];
  if (typeof f['from'] === 'string' && f['from']) filter.from = f['from'];
  if (typeof f['to'] === 'string' && f['to']) filter.to = f['to'];
  if (typeof f['context'] === 'number') filter.context = f['context'];
  if (typeof f['maxLines'] === 'number') filter.maxLines = f['maxLines'];
  return filter;
}

/** Whether diagnostics are enabled for `uri` (`bundleLens.diagnostics.enable`); true when the client cannot say. */
async function diagnosticsEnabled(connection: Connection, uri: string): Promise<boolean> {
  try {
    const settings = (await Promise.race([
      connection.workspace.getConfiguration({ scopeUri: uri, section: 'bundleLens' }),
      new Promise((resolve) => setTimeout(resolve, 2000, undefined)),
    ])) as { diagnostics?: { enable?: boolean } } | null | undefined;
    return settings?.diagnostics?.enable !== false;
  } catch {
    return true;
  }
}

export function registerLargeLogs(connection: Connection, documents: TextDocuments<TextDocument>): void {
  /** URIs whose diagnostics this module pushed (cleared when VS Code opens and syncs the document). */
  const pushed = new Set<string>();

  /** Customer data can never crash the server: unexpected errors are logged and reported as a failed request. */
  const runSafe = <T>(name: string, token: CancellationToken, work: () => Promise<T>): Promise<T> =>
    runOrFail(connection, name, token, work, (detail) => l10n.t('Bundle Lens could not read this log: {0}', detail));

  connection.onRequest(LogSummaryRequestMethod, (params: LogSummaryParams, token: CancellationToken): Promise<LogSummary> =>
    runSafe('logSummary', token, async () => {
      const uri = String(params?.uri ?? '');
      const { file, bytes } = await fileOf(uri);
      const name = path.basename(file);
      let a;
      try {
        a = await analyzeLogFile(file, { name, token });
      } catch (e) {
        throw readError(e, file);
      }
      // A document the editor synchronised has its own diagnostics (pulled or pushed by the server):
      // pushing these too would list every finding twice.
      if (!documents.get(uri)) {
        const diagnostics = (await diagnosticsEnabled(connection, uri)) ? a.findings.map((f) => toDiagnostic(uri, f)) : [];
        pushed.add(uri);
        void connection.sendDiagnostics({ uri, diagnostics });
      }
      const summary: LogSummary = {
        uri,
        bytes,
        lines: a.lines,
        entries: a.entries,
        components: a.components,
        levels: a.levels,
        debug: a.debug,
        findings: a.findings.map((f) => findingView(f, name)),
      };
      if (a.firstTimestamp) summary.first = a.firstTimestamp;
      if (a.lastTimestamp) summary.last = a.lastTimestamp;
      if (a.firstIso) summary.firstIso = a.firstIso;
      if (a.lastIso) summary.lastIso = a.lastIso;
      return summary;
    }),
  );

  connection.onRequest(LogSliceRequestMethod, (params: LogSliceParams, token: CancellationToken): Promise<LogSliceResult> =>
    runSafe('logSlice', token, async () => {
      const uri = String(params?.uri ?? '');
      const sliceUri = String(params?.sliceUri ?? '');
      if (!sliceUri) throw new ResponseError(ErrorCodes.InvalidParams, l10n.t('A slice needs the URI it will be shown under.'));
      const { file } = await fileOf(uri);
      let r;
      try {
        r = await sliceLog(decodeFile(file, token), sliceFilterOf(params?.filter), token);
      } catch (e) {
        if (e instanceof SliceFilterError) {
          throw new ResponseError(ErrorCodes.InvalidParams, l10n.t('"{0}" is not a time as the log writes it (for example Aug 04 07:30:23).', e.value));
        }
        throw readError(e, file);
      }
      remember(sliceUri, { uri, lines: Int32Array.from(r.lines) });
      return { text: r.text, lines: r.lines, matched: r.matched, truncated: r.truncated, scannedLines: r.scannedLines };
    }),
  );

  // Once VS Code synchronises a document (a small file opened after its summary), the server's
  // own diagnostics take over from the ones pushed here.
  documents.onDidOpen((e) => {
    if (pushed.delete(e.document.uri)) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
}
