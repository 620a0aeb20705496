/**
 * The Bundle Lens VS Code client: starts the language server, registers commands and views.
 * Every user-visible string goes through `vscode.l10n`.
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  AnalyzeBundleRequestMethod,
  type AnalyzeBundleParams,
  type AnalyzeBundleResult,
  DiagnoseRequestMethod,
  ServerReadyNotificationMethod,
  type DiagnoseParams,
  type DiagnoseResult,
  type InitializationOptions,
} from '../shared/protocol';
import { ReportProvider } from './reports';
import { isHeaderLine } from '../core/log/entry';
import { registerSlices } from './slice';
import { registerFindingsView } from './views';

/** What `activate` returns: the tests' readiness signal and the commands' results. */
export interface BundleLensApi {
  /** Resolves when the language server has started and initialised. */
  ready: Promise<void>;
  client: LanguageClient;
}

const LOG_LANGUAGE_ID = 'secure-endpoint-log';

/**
 * Any scheme: files on disk, untitled buffers, log slices (`bundle-lens-slice:`, in the log
 * language) and (later) files inside a mounted bundle.
 */
const documentSelector: Array<{ language: string; pattern?: string }> = [
  { language: LOG_LANGUAGE_ID },
  { language: 'xml', pattern: '**/local.xml' },
  { language: 'xml', pattern: '**/policy.xml' },
  // The previous local.xml the connector keeps (BRIEF §2.1).
  { language: 'xml', pattern: '**/local.old' },
  // Pasted command outputs (curl -v, Get-TlsCipherSuite, console text): the server answers only
  // for numbers that are evidently codes there.
  { language: 'plaintext' },
];

let client: LanguageClient | undefined;
const reports = new ReportProvider();

export function activate(context: vscode.ExtensionContext): BundleLensApi {
  const output = vscode.window.createOutputChannel('Bundle Lens', { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = {};
  if (vscode.l10n.uri) initializationOptions.l10nBundlePath = vscode.l10n.uri.fsPath;
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    initializationOptions,
    outputChannel: output,
    // The server asks for `bundleLens.*` per resource; this makes the client tell it when they change.
    synchronize: { configurationSection: 'bundleLens' },
  };
  client = new LanguageClient('bundleLens', vscode.l10n.t('Bundle Lens'), serverOptions, clientOptions);

  const status = vscode.window.createStatusBarItem('bundleLens.status', vscode.StatusBarAlignment.Left, 0);
  status.name = vscode.l10n.t('Bundle Lens');
  status.text = `$(loading~spin) ${vscode.l10n.t('Bundle Lens')}`;
  status.tooltip = vscode.l10n.t('Bundle Lens: starting the language server…');
  status.command = 'bundleLens.showOutput';
  context.subscriptions.push(status);

  const c = client;
  const ready = new Promise<void>((resolve, reject) => {
    c.onNotification(ServerReadyNotificationMethod, () => resolve());
    c.start().catch((e: unknown) => {
      output.error(`language server failed to start: ${String(e)}`);
      status.text = `$(error) ${vscode.l10n.t('Bundle Lens')}`;
      status.tooltip = vscode.l10n.t('Bundle Lens: the language server did not start. See the output.');
      reject(e);
    });
  });
  ready.then(
    () => {
      status.text = `$(pass) ${vscode.l10n.t('Bundle Lens')}`;
      status.tooltip = vscode.l10n.t('Bundle Lens: ready');
    },
    () => undefined,
  );
  status.show();

  context.subscriptions.push(
    vscode.commands.registerCommand('bundleLens.analyzeBundle', (target?: vscode.Uri) => analyzeBundle(c, ready, target)),
    vscode.commands.registerCommand('bundleLens.diagnoseTetra', (target?: vscode.Uri) => diagnoseTetra(c, ready, target)),
    vscode.commands.registerCommand('bundleLens.openBundle', () => openBundle()),
    vscode.commands.registerCommand('bundleLens.showOutput', () => output.show()),
    registerFindingsView(),
    vscode.workspace.registerTextDocumentContentProvider(ReportProvider.scheme, reports),
    // Logs too large for VS Code to synchronise: summaries and slices read from disk by the server.
    ...registerSlices(c, ready, output),
    ...recogniseLogsByContent(),
  );

  // The Problems panel lists the whole bundle: workspace folders holding a connector log are
  // analysed once the server is ready (quietly, in the status bar; a setting turns it off).
  void ready.then(async () => {
    if (!vscode.workspace.getConfiguration('bundleLens').get<boolean>('bundle.analyzeOnOpen', true)) return;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const logs = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/sfc.exe*.log*'), undefined, 1);
      if (logs.length > 0) await analyzeBundle(c, ready, folder.uri, true);
    }
  }, () => undefined);

  return { ready, client: c };
}

/**
 * Analyses a folder as one bundle; its findings land in the Problems panel on each file. With
 * `quiet`, progress shows in the status bar and only failures are announced.
 */
async function analyzeBundle(c: LanguageClient, ready: Promise<void>, target: vscode.Uri | undefined, quiet = false): Promise<AnalyzeBundleResult | undefined> {
  let folder = target;
  if (!folder) {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const picked =
      folders.length === 1
        ? folders[0]
        : await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('The bundle folder to analyse') });
    if (!picked) {
      if (folders.length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('Open a bundle folder (or an extracted support bundle) first.'));
      return undefined;
    }
    folder = picked.uri;
  }
  const uri = folder;
  await ready;
  const location = quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
  try {
    const result = await vscode.window.withProgress(
      { location, title: vscode.l10n.t('Bundle Lens: analysing {0}…', vscode.workspace.asRelativePath(uri, true)), cancellable: !quiet },
      (_progress, token) => c.sendRequest(AnalyzeBundleRequestMethod, { uri: uri.toString() } satisfies AnalyzeBundleParams, token) as Promise<AnalyzeBundleResult>,
    );
    if (!quiet) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Bundle Lens: {0} errors, {1} warnings and {2} notes in {3} of {4} files. See the Problems panel.', result.findings.error, result.findings.warning, result.findings.information, result.filesWithFindings, result.files),
      );
    }
    return result;
  } catch (e) {
    if (e instanceof Error && /cancel/i.test(e.message)) return undefined;
    void vscode.window.showErrorMessage(vscode.l10n.t('Bundle Lens could not analyse {0}: {1}', uri.fsPath, e instanceof Error ? e.message : String(e)));
    return undefined;
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/**
 * A connector log under another name (`case-1234.log`, a pasted `.txt`) opens as `log` or
 * `plaintext`: switch it to the connector log's language when its first line has the connector's
 * line shape (BRIEF §2.2: recognise the log by its shape, not only its name). Each document is
 * switched at most once, so an engineer who switches it back keeps their choice.
 */
function recogniseLogsByContent(): vscode.Disposable[] {
  const switched = new Set<string>();
  const consider = (doc: vscode.TextDocument) => {
    if (doc.languageId !== 'log' && doc.languageId !== 'plaintext') return;
    const key = doc.uri.toString();
    if (switched.has(key) || doc.lineCount === 0) return;
    if (!isHeaderLine(doc.lineAt(0).text.replace(/^\uFEFF/, '').slice(0, 256))) return;
    switched.add(key);
    void vscode.languages.setTextDocumentLanguage(doc, LOG_LANGUAGE_ID).then(undefined, () => switched.delete(key));
  };
  for (const doc of vscode.workspace.textDocuments) consider(doc);
  return [vscode.workspace.onDidOpenTextDocument(consider)];
}

/** Documents the language server holds (the client's document selector). */
function isServed(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(documentSelector, doc) > 0;
}

/**
 * What to diagnose: the given resource, else the active editor's document when the server holds
 * it, else the first workspace folder on disk.
 */
function diagnoseTarget(target?: vscode.Uri): DiagnoseParams | undefined {
  if (target) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
    if (open && isServed(open)) return { uri: open.uri.toString() };
    if (target.scheme === 'file') return { path: target.fsPath };
  }
  const editor = vscode.window.activeTextEditor;
  if (editor && isServed(editor.document)) return { uri: editor.document.uri.toString() };
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (folder) return { path: folder.uri.fsPath };
  return undefined;
}

async function diagnoseTetra(c: LanguageClient, ready: Promise<void>, target?: vscode.Uri): Promise<DiagnoseResult | undefined> {
  const params = diagnoseTarget(target);
  if (!params) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a connector log (sfc.exe.log) or a bundle folder, then run Diagnose TETRA Failure again.'));
    return undefined;
  }
  await ready;
  let result: DiagnoseResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Diagnosing TETRA updates…'), cancellable: true },
      (_progress, token) => c.sendRequest<DiagnoseResult>(DiagnoseRequestMethod, params, token),
    );
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Diagnose TETRA Failure: {0}', e instanceof Error ? e.message : String(e)));
    return undefined;
  }
  const uri = reports.publish('TETRA diagnosis.md', result.markdown);
  await vscode.workspace.openTextDocument(uri);
  await vscode.commands.executeCommand('markdown.showPreview', uri);
  return result;
}

async function openBundle(): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Open Bundle'),
    title: vscode.l10n.t('Open a Secure Endpoint support bundle (folder, .zip or .7z)'),
  });
  const uri = picked?.[0];
  if (!uri) return;
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.type & vscode.FileType.Directory) {
    const index = vscode.workspace.workspaceFolders?.length ?? 0;
    vscode.workspace.updateWorkspaceFolders(index, 0, { uri });
    return;
  }
  // An archive by its magic bytes (a `.7z` is often a zip), else a single file: open it.
  if (await isArchive(uri)) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Opening archives is not supported yet: extract {0} and open the folder.', uri.path.split('/').pop() ?? ''),
    );
    return;
  }
  await vscode.window.showTextDocument(uri);
}

/** Reads the first bytes of a local file (never the whole file: bundles are hundreds of MB). */
async function isArchive(uri: vscode.Uri): Promise<boolean> {
  if (uri.scheme !== 'file') return /\.(zip|7z)$/i.test(uri.path);
  const handle = await fs.open(uri.fsPath, 'r');
  try {
    const head = Buffer.alloc(6);
    await handle.read(head, 0, 6, 0);
    const isZip = head[0] === 0x50 && head[1] === 0x4b;
    const is7z = head[0] === 0x37 && head[1] === 0x7a && head[2] === 0xbc && head[3] === 0xaf;
    return isZip || is7z;
  } finally {
    await handle.close();
  }
}
