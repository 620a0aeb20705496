import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isConnectorLogName } from '../core/bundle/inputs';
import { LogAnalyzer, type AnalyzeOptions, type LogAnalysis } from '../core/log/analyze';
import { isHeaderLine } from '../core/log/entry';
import { CancelledError, throwIfCancelled, type Cancellation } from '../core/types';
import type { CancellationToken } from 'vscode-languageserver';

export type DocumentRole = 'connector-log' | 'local.xml' | 'policy.xml' | 'other';

export const LOG_LANGUAGE_ID = 'secure-endpoint-log';

export function baseName(uri: string): string {
  try {
    return path.posix.basename(decodeURIComponent(new URL(uri).pathname));
  } catch {
    return path.posix.basename(uri);
  }
}

/** What a document is: by language id, then by name, then by its first line's shape. */
export function roleOf(doc: TextDocument): DocumentRole {
  const name = baseName(doc.uri).toLowerCase();
  if (doc.languageId === LOG_LANGUAGE_ID || isConnectorLogName(name)) return 'connector-log';
  if (name === 'local.xml') return 'local.xml';
  if (name === 'policy.xml') return 'policy.xml';
  const first = doc.getText({ start: { line: 0, character: 0 }, end: { line: 0, character: 256 } });
  return isHeaderLine(first) ? 'connector-log' : 'other';
}

/** Text is fed to the analyzer in slices, yielding between them so `$/cancelRequest` is seen. */
const SLICE = 512 * 1024;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Parse results cached by URI and version: hover, diagnostics and the Diagnose request share one
 * analysis per document version. The shared analysis has its own cancellation (set when a newer
 * version or a close supersedes it); each caller stops waiting on its own token, so cancelling
 * one request never cancels the analysis another request is waiting for.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, { version: number; result: Promise<LogAnalysis>; cancel: { isCancellationRequested: boolean } }>();

  get(doc: TextDocument, token: CancellationToken): Promise<LogAnalysis> {
    let entry = this.entries.get(doc.uri);
    if (!entry || entry.version !== doc.version) {
      if (entry) entry.cancel.isCancellationRequested = true;
      const cancel = { isCancellationRequested: false };
      const result = analyzeDocument(doc, cancel);
      const created = { version: doc.version, result, cancel };
      this.entries.set(doc.uri, created);
      // A superseded or failed run must not stay cached for the next caller.
      result.catch(() => {
        if (this.entries.get(doc.uri) === created) this.entries.delete(doc.uri);
      });
      entry = created;
    }
    return untilCancelled(entry.result, token);
  }

  delete(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry) entry.cancel.isCancellationRequested = true;
    this.entries.delete(uri);
  }
}

/** Resolves with `work`, or rejects with CancelledError as soon as the caller's token is cancelled. */
function untilCancelled<T>(work: Promise<T>, token: CancellationToken): Promise<T> {
  if (token.isCancellationRequested) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const sub = token.onCancellationRequested(() => {
      sub.dispose();
      reject(new CancelledError());
    });
    work.then(
      (v) => {
        sub.dispose();
        resolve(v);
      },
      (e: unknown) => {
        sub.dispose();
        reject(e);
      },
    );
  });
}

/** The path of a `file:` URI (or of any URI with a path), for version folders and file times. */
export function uriPath(uri: string): string | undefined {
  try {
    const u = new URL(uri);
    if (u.protocol === 'file:') return fileURLToPath(u);
    return decodeURIComponent(u.pathname);
  } catch {
    return undefined;
  }
}

async function analyzeDocument(doc: TextDocument, token: Cancellation): Promise<LogAnalysis> {
  const text = doc.getText();
  const options: AnalyzeOptions = { file: baseName(doc.uri), token };
  const p = uriPath(doc.uri);
  if (p) options.path = p;
  // A file on disk: its modification time anchors the year when the log writes no full date.
  if (doc.uri.startsWith('file:') && p) {
    try {
      options.reference = (await fs.stat(p)).mtime;
    } catch {
      // unsaved or gone: no reference
    }
  }
  const analyzer = new LogAnalyzer(options);
  for (let i = 0; i < text.length; i += SLICE) {
    if (i > 0) await yieldToEventLoop();
    throwIfCancelled(token);
    analyzer.push(text.slice(i, i + SLICE));
  }
  return analyzer.finish();
}

/**
 * How often the same 32 bits occur in a document, in any of the forms they are written in
 * (unsigned, signed, `0x` hex with or without leading zeros, bare hex). One regular-expression
 * pass per value and document version, cached.
 */
export class OccurrenceCounter {
  private readonly cache = new Map<string, { version: number; counts: Map<string, number> }>();

  count(doc: TextDocument, forms: string[]): number {
    let entry = this.cache.get(doc.uri);
    if (!entry || entry.version !== doc.version) {
      entry = { version: doc.version, counts: new Map() };
      this.cache.set(doc.uri, entry);
    }
    const key = forms.join('|');
    let n = entry.counts.get(key);
    if (n === undefined) {
      // Forms are digits, `-digits` or `0x0*hex`: safe as regular-expression source.
      const re = new RegExp(`(?<![\\w.:-])(?:${forms.join('|')})(?![\\w]|[.:]\\d)`, 'gi');
      n = 0;
      for (const _ of doc.getText().matchAll(re)) n++;
      entry.counts.set(key, n);
    }
    return n;
  }

  delete(uri: string): void {
    this.cache.delete(uri);
  }
}

/** The forms a 32-bit value is written in, for counting. */
export function writtenForms(unsigned: number, signed: number, bareHex: boolean): string[] {
  const hex = unsigned.toString(16);
  const forms = [String(unsigned), `0x0*${hex}`];
  if (signed < 0) forms.push(String(signed));
  if (bareHex) forms.push(hex.padStart(8, '0'));
  return forms;
}
