/**
 * The Bundle Lens language server: thin LSP glue from documents and requests to core.
 * Started by the extension over IPC, or by any editor with `node dist/server.js --stdio`.
 */
import * as l10n from '@vscode/l10n';
import { languageOf, setNumberLanguage, useLanguage } from '../shared/locale';
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  CancellationToken,
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type DocumentDiagnosticReport,
  type Hover,
  type InitializeResult,
  type Position,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { InputError, type PathAnalysis } from '../core/bundle/inputs';
import { isKnown, numberAt, type Decoded, type NumberToken } from '../core/codes';
import { isHeaderLine } from '../core/log/entry';
import { stitchLogs } from '../core/log/stitch';
import { CancelledError } from '../core/types';
import {
  DiagnoseRequestMethod,
  ServerReadyNotificationMethod,
  type DiagnoseParams,
  type DiagnoseResult,
  type InitializationOptions,
} from '../shared/protocol';
import { actionTitle, hoverMarkdown, inputErrorMessage } from '../shared/render';
import { foldingRanges, outlineSymbols } from './outline';
import { diagnoseResult, type ReportOptions } from '../shared/report';
import { VERSION } from '../shared/version';
import { toDiagnostic } from './diagnostics';
import { AnalysisCache, baseName, OccurrenceCounter, roleOf, writtenForms, type DocumentRole } from './documents';
import { bundleAnalyses, registerBundles } from './bundle';
import { registerCaseView } from './case';
import { registerTune } from './tune';
import { runOrFail as runRequest } from './run';
import { registerLargeLogs, sliceLinks } from './large-log';
import { xmlHover, XmlAnalysisCache, xmlSymbols } from './xml';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const cache = new AnalysisCache();
const xmlCache = new XmlAnalysisCache();
const occurrences = new OccurrenceCounter();
let pullDiagnostics = false;
let configurationSupport = false;

/** Settings per resource (`bundleLens.*`), asked of the client and cached until they change. */
interface Settings {
  diagnostics: { enable: boolean };
  hover: { enable: boolean };
}
const DEFAULT_SETTINGS: Settings = { diagnostics: { enable: true }, hover: { enable: true } };
const settingsCache = new Map<string, Promise<Settings>>();
/** Bumped when settings change, so a re-pull after a settings change is never answered "unchanged". */
let settingsGeneration = 0;

function settingsFor(uri: string): Promise<Settings> {
  if (!configurationSupport) return Promise.resolve(DEFAULT_SETTINGS);
  let s = settingsCache.get(uri);
  if (!s) {
    s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'bundleLens' }).then(
      (v: Partial<Settings> | null | undefined) => ({
        diagnostics: { enable: v?.diagnostics?.enable ?? true },
        hover: { enable: v?.hover?.enable ?? true },
      }),
      () => DEFAULT_SETTINGS,
    );
    settingsCache.set(uri, s);
  }
  return s;
}

/** Runs a request with no sensible empty answer (see `run.ts`). */
const runOrFail = <T>(name: string, token: CancellationToken, work: () => Promise<T>): Promise<T> => runRequest(connection, name, token, work);

/** Runs a handler so that customer data can never crash the server: errors are logged, cancellation reported. */
async function runSafe<T>(name: string, token: CancellationToken | undefined, fallback: T, work: () => Promise<T> | T): Promise<T> {
  if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  try {
    return await work();
  } catch (e) {
    if (e instanceof CancelledError || token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (e instanceof ResponseError) throw e;
    connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return fallback;
  }
}

connection.onInitialize((params): InitializeResult => {
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  // VS Code hands over the bundle it chose for its display language; any other client sends the
  // standard `locale` (`ja`, `ko-KR`…), resolved against the bundles shipped beside the server.
  let bundled = false;
  if (options.l10nBundlePath) {
    try {
      l10n.config({ fsPath: options.l10nBundlePath });
      bundled = true;
    } catch (e) {
      connection.console.warn(`localisation bundle not loaded: ${String(e)}`);
    }
  }
  // Numbers (decimal marks) follow the client's language too, whichever way the words came.
  setNumberLanguage(languageOf(params.locale));
  if (!bundled && params.locale) {
    try {
      useLanguage(languageOf(params.locale));
    } catch (e) {
      connection.console.warn(`localisation bundle for ${params.locale} not loaded: ${String(e)}`);
    }
  }
  pullDiagnostics = params.capabilities.textDocument?.diagnostic !== undefined;
  configurationSupport = params.capabilities.workspace?.configuration === true;
  const result: InitializeResult = {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      documentSymbolProvider: { label: 'Bundle Lens' },
      foldingRangeProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentLinkProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'bundle-lens', version: VERSION },
  };
  if (pullDiagnostics) {
    result.capabilities.diagnosticProvider = { identifier: 'bundle-lens', interFileDependencies: false, workspaceDiagnostics: false };
  }
  return result;
});

connection.onInitialized(() => {
  void connection.sendNotification(ServerReadyNotificationMethod, { version: VERSION });
});

// --- Hover: every number decoded -------------------------------------------------------------

/** Lines longer than this are read only around the cursor. */
const HOVER_WINDOW = 4096;

/** Characters `from` to `to` of one line, without its line break (bounded, whatever the line's length). */
function lineText(doc: TextDocument, line: number, from: number, to: number): string {
  return doc.getText({ start: { line, character: from }, end: { line, character: to } }).replace(/[\r\n][\s\S]*$/, '');
}

connection.onHover((params, token): Promise<Hover | null> =>
  runSafe('hover', token, null, async () => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !(await settingsFor(doc.uri)).hover.enable) return null;
    let role = roleOf(doc);
    // local.xml / policy.xml: the setting under the cursor, and the number's decoding where it is a code.
    const xml = isXmlRole(role) ? xmlCache.get(doc) : undefined;
    // A root that looked like the connector's but is not (core read it in full): plain text rules.
    if (isXmlRole(role) && !xml) role = 'other';
    const numbers = (p: Position) => numberHover(doc, role, p);
    if (xml) return xmlHover(doc, xml, params.position, numbers);
    return numbers(params.position);
  }),
);

function isXmlRole(role: DocumentRole): role is 'local.xml' | 'policy.xml' {
  return role === 'local.xml' || role === 'policy.xml';
}

/** The decoding of the number at a position: every reading, the knowledge, how often it occurs. */
function numberHover(doc: TextDocument, role: DocumentRole, position: Position): Hover | null {
  const { line, character } = position;
  const from = Math.max(0, character - HOVER_WINDOW);
  const text = lineText(doc, line, from, character + HOVER_WINDOW);
  // A continuation line of a wrapped log entry: the previous line's end is the number's context.
  const prefix = from === 0 && line > 0 && role === 'connector-log' && !isHeaderLine(text) ? lineText(doc, line - 1, 0, HOVER_WINDOW).slice(-256) : '';
  const found = numberAt(text, character - from, prefix);
  if (!found) return null;
  if (role === 'other' && !evidentlyACode(found.token, found.decoded)) return null;
  const r = found.decoded.readings;
  const count = r ? occurrences.count(doc, writtenForms(r.unsigned, r.signed, found.token.bareHex === true)) : undefined;
  const hoverOptions = count === undefined ? {} : { occurrences: count };
  return {
    contents: { kind: 'markdown', value: hoverMarkdown(found.decoded, hoverOptions) },
    range: { start: { line, character: from + found.token.start }, end: { line, character: from + found.token.end } },
  };
}

/**
 * In plain text (pasted command outputs) only numbers that are evidently codes get a hover: the
 * words around them name a family, they are written in hex, or a table knows them and they are
 * too large to be a count. Page numbers and counts stay quiet.
 */
function evidentlyACode(token: NumberToken, d: Decoded): boolean {
  if (token.hint || token.bareHex || /^[-+]?0x/i.test(token.text)) return true;
  const r = d.readings;
  if (!r) return false;
  return d.matches.some((m) => isKnown(m) && (m.family.startsWith('se.') || r.unsigned > 0xffff));
}

// --- Diagnostics: pulled when the client can, pushed otherwise --------------------------------

async function diagnosticsFor(doc: TextDocument, token: CancellationToken): Promise<Diagnostic[]> {
  const role = roleOf(doc);
  if ((role !== 'connector-log' && !isXmlRole(role)) || !(await settingsFor(doc.uri)).diagnostics.enable) return [];
  if (isXmlRole(role)) {
    if (token.isCancellationRequested) throw new CancelledError();
    return xmlCache.get(doc)?.findings.map((f) => toDiagnostic(doc.uri, f)) ?? [];
  }
  const analysis = await cache.get(doc, token);
  return analysis.findings.map((f) => toDiagnostic(doc.uri, f));
}

connection.languages.diagnostics.on((params, token): Promise<DocumentDiagnosticReport> =>
  runSafe('diagnostics', token, { kind: DocumentDiagnosticReportKind.Full, items: [] }, async () => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const resultId = `${doc.version}:${settingsGeneration}`;
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: await diagnosticsFor(doc, token) };
  }),
);

/** Push mode: validation is debounced, and a run for an older version never overwrites a newer one. */
const pending = new Map<string, NodeJS.Timeout>();
const PUSH_DELAY_MS = 150;

function schedulePush(doc: TextDocument): void {
  if (pullDiagnostics) return;
  clearTimeout(pending.get(doc.uri));
  pending.set(
    doc.uri,
    setTimeout(() => {
      pending.delete(doc.uri);
      const version = doc.version;
      const token = CancellationToken.None;
      void runSafe('push diagnostics', undefined, [] as Diagnostic[], () => diagnosticsFor(doc, token)).then((diagnostics) => {
        const current = documents.get(doc.uri);
        if (current && current.version === version) void connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
      });
    }, PUSH_DELAY_MS),
  );
}

documents.onDidOpen((e) => {
  schedulePush(e.document);
  // Build the line-offset table now, not in the first hover (about 100 ms on a 40 MB log).
  setImmediate(() => void e.document.lineCount);
});
documents.onDidChangeContent((e) => schedulePush(e.document));
connection.onDidChangeConfiguration(() => {
  settingsCache.clear();
  settingsGeneration++;
  if (pullDiagnostics) connection.languages.diagnostics.refresh();
  else for (const doc of documents.all()) schedulePush(doc);
});

documents.onDidClose((e) => {
  cache.delete(e.document.uri);
  xmlCache.delete(e.document.uri);
  occurrences.delete(e.document.uri);
  settingsCache.delete(e.document.uri);
  clearTimeout(pending.get(e.document.uri));
  if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

// --- Outline and folding: hour blocks, TETRA update attempts, long silences; XML sections ----------

connection.onDocumentSymbol((params, token): Promise<DocumentSymbol[]> =>
  runSafe('symbols', token, [] as DocumentSymbol[], async () => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const role = roleOf(doc);
    if (isXmlRole(role)) {
      const xml = xmlCache.get(doc);
      return xml ? xmlSymbols(xml) : [];
    }
    if (role !== 'connector-log') return [];
    const analysis = await cache.get(doc, token);
    const lineLength = (line: number) => {
      const start = doc.offsetAt({ line, character: 0 });
      const end = line + 1 < doc.lineCount ? doc.offsetAt({ line: line + 1, character: 0 }) : doc.getText().length;
      const tail = doc.getText({ start: doc.positionAt(Math.max(start, end - 2)), end: doc.positionAt(end) });
      return end - start - (tail.endsWith('\r\n') ? 2 : tail.endsWith('\n') || tail.endsWith('\r') ? 1 : 0);
    };
    return outlineSymbols(analysis, lineLength);
  }),
);

connection.onFoldingRanges((params, token): Promise<FoldingRange[]> =>
  runSafe('folding', token, [] as FoldingRange[], async () => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || roleOf(doc) !== 'connector-log') return [];
    return foldingRanges(await cache.get(doc, token));
  }),
);

// --- Links from a slice of a large log back to the original lines -------------------------------

connection.onDocumentLinks((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  try {
    return sliceLinks(doc.uri, doc);
  } catch (e) {
    connection.console.error(`links failed: ${String(e)}`);
    return [];
  }
});

// --- Quick fixes: copy the check that matches the failure ----------------------------------------

connection.onCodeAction((params): CodeAction[] => {
  const out: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== 'Bundle Lens') continue;
    const actions = (d.data as { actions?: Array<{ id: string; command: string }> } | undefined)?.actions ?? [];
    for (const a of actions) {
      out.push({
        title: actionTitle(a.id, a.command),
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        command: { title: actionTitle(a.id, a.command), command: 'bundleLens.copyText', arguments: [a.command] },
      });
    }
  }
  return out;
});

// --- Diagnose ----------------------------------------------------------------------------------

connection.onRequest(DiagnoseRequestMethod, (params: DiagnoseParams, token): Promise<DiagnoseResult> =>
  runOrFail('diagnose', token, async () => {
    const options: ReportOptions = { playbook: params.playbook === 'isolation' ? 'isolation' : 'tetra' };
    const doc = params.uri ? documents.get(params.uri) : undefined;
    if (doc) {
      const role = roleOf(doc);
      const analysis: PathAnalysis = { root: doc.uri, kind: role === 'connector-log' ? 'connector-log' : 'text', files: [], findings: [], logSets: [], unreadable: [] };
      const file = baseName(doc.uri);
      if (role === 'connector-log') {
        const a = await cache.get(doc, token);
        analysis.files.push({ file, kind: 'connector-log', analysis: a });
        analysis.findings.push(...a.findings);
        analysis.logSets = stitchLogs([{ file, analysis: a }]);
      } else {
        // local.xml / policy.xml: its findings in the report, as for the same file in a bundle.
        const xml = isXmlRole(role) ? xmlCache.get(doc) : undefined;
        analysis.files.push(xml ? { file, kind: 'text', xml: { role: xml.role, findings: xml.findings } } : { file, kind: 'text' });
        if (xml) analysis.findings.push(...xml.findings);
      }
      return diagnoseResult(doc.uri, analysis, options);
    }
    const target = params.path ?? (params.uri?.startsWith('file:') ? fileURLToPath(params.uri) : undefined);
    if (target) {
      try {
        return diagnoseResult(target, (await bundleAnalyses.get(target, token)).analysis, options);
      } catch (e) {
        if (e instanceof InputError) throw new ResponseError(1, inputErrorMessage(e, target));
        throw e;
      }
    }
    throw new ResponseError(1, l10n.t('Open a connector log or a bundle folder first.'));
  }),
);

process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${String(e)}`));

registerLargeLogs(connection, documents);
registerBundles(connection, documents, async (uri) => (await settingsFor(uri)).diagnostics.enable);
registerCaseView(connection, runOrFail);
registerTune(connection, runOrFail);
documents.listen(connection);
connection.listen();
