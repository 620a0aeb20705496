/**
 * The Bundle Lens VS Code client: starts the language server, registers commands and views.
 * Every user-visible string goes through `vscode.l10n`.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  AnalyzeBundleRequestMethod,
  type AnalyzeBundleParams,
  type AnalyzeBundleResult,
  BundleViewRequestMethod,
  DiagnoseRequestMethod,
  ServerReadyNotificationMethod,
  type BundleView,
  type BundleViewParams,
  type DiagnoseParams,
  type DiagnoseResult,
  type InitializationOptions,
} from '../shared/protocol';
import { sniffArchive } from '../core/bundle/archive';
import { ARCHIVE_SCHEME, errorWords, registerBundleFileSystem, type BundleFileSystem } from './bundle-fs';
import { ReportProvider, reportName } from './reports';
import { openInBundle, ReportPanels } from './report-view';
import { registerPerformanceTree, runTune, type PerformanceTree, type TuneCommandOptions } from './performance';
import { isHeaderLine } from '../core/log/entry';
import { registerSlices } from './slice';
import { registerBundleSnippets } from './bundle-snippets';
import { CaseModel, OPEN_EVIDENCE_COMMAND, registerCaseViews, type CaseViews } from './views';

/** What `activate` returns: the tests' readiness signal and the commands' results. */
export interface BundleLensApi {
  /** Resolves when the language server has started and initialised. */
  ready: Promise<void>;
  client: LanguageClient;
  /** The trees' providers and the current bundle they show (for tests and other extensions). */
  views: CaseViews;
  /** The Diagnose report panels (what each shows, and the messages of their pages). */
  reports: ReportPanels;
  /** The Performance tree (issue 9). */
  performance: PerformanceTree;
}

const LOG_LANGUAGE_ID = 'secure-endpoint-log';

/**
 * Any scheme: files on disk, untitled buffers, log slices (`bundle-lens-slice:`, in the log
 * language) and files inside a mounted bundle archive (`bundle-lens-archive:`). VS Code matches
 * the `pattern` globs against the URI's path whatever its scheme, so `local.xml` at
 * `bundle-lens-archive://<id>/Program Files/Cisco/AMP/local.xml` is served.
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
/** The bundle the trees show (set by Analyze Bundle, Open Support Bundle and Diagnose on a bundle). */
let caseModel: CaseModel | undefined;
let reportPanels: ReportPanels | undefined;
/** A Bundle Lens hover was shown (the walkthrough's last step). */
let codeHovered = false;

export function activate(context: vscode.ExtensionContext): BundleLensApi {
  const output = vscode.window.createOutputChannel('Bundle Lens', { log: true });
  context.subscriptions.push(output);
  // First, so that a window reopening with a mounted bundle finds its files at once.
  const bundles = registerBundleFileSystem(context);

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
    middleware: {
      // The walkthrough's "Hover a code" step completes on the first decoding shown.
      provideHover: async (document, position, token, next) => {
        const hover = await next(document, position, token);
        if (hover && !codeHovered) {
          codeHovered = true;
          void vscode.commands.executeCommand('setContext', 'bundleLens.codeHovered', true);
        }
        return hover;
      },
    },
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

  const model = new CaseModel();
  caseModel = model;
  const views = registerCaseViews(context, model);
  registerBundleSnippets(context, model);
  const performance = registerPerformanceTree(context);
  const panels = new ReportPanels(context.extensionUri, reports);
  reportPanels = panels;
  context.subscriptions.push(panels);

  context.subscriptions.push(
    vscode.commands.registerCommand('bundleLens.diagnoseIsolation', (target?: vscode.Uri) => diagnose(c, ready, bundles, 'isolation', target)),
    // The Findings view's title buttons: the bundle the trees show, whatever editor is active.
    vscode.commands.registerCommand('bundleLens.diagnoseShownTetra', () => diagnose(c, ready, bundles, 'tetra', model.bundle?.base)),
    vscode.commands.registerCommand('bundleLens.diagnoseShownIsolation', () => diagnose(c, ready, bundles, 'isolation', model.bundle?.base)),
    vscode.commands.registerCommand('bundleLens.refreshViews', () => refreshViews(c, ready)),
    // The walkthrough's sample: a short connector log with a proxy failure to hover (read-only, in the extension).
    vscode.commands.registerCommand('bundleLens.openSampleLog', async () => {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(context.extensionUri, 'media', 'walkthrough', 'sample', 'sfc.exe.log'));
      return vscode.window.showTextDocument(doc, { preview: true });
    }),
    vscode.commands.registerCommand('bundleLens.tune', async (target?: vscode.Uri, options?: TuneCommandOptions) => {
      const chosen = await diagnoseTarget(bundles, target instanceof vscode.Uri ? target : undefined);
      await ready;
      const p = chosen?.params.path ?? (chosen?.params.uri?.startsWith('file:') ? vscode.Uri.parse(chosen.params.uri).fsPath : undefined);
      return runTune(c, performance, reports, chosen && p ? { path: p, base: chosen.base } : undefined, options);
    }),
    vscode.commands.registerCommand(OPEN_EVIDENCE_COMMAND, (file: string, line: number) => openEvidence(model, file, line)),
    vscode.commands.registerCommand('bundleLens.analyzeBundle', (target?: vscode.Uri) => analyzeBundle(c, ready, bundles, target)),
    vscode.commands.registerCommand('bundleLens.diagnoseTetra', (target?: vscode.Uri) => diagnose(c, ready, bundles, 'tetra', target)),
    vscode.commands.registerCommand('bundleLens.openBundle', (target?: vscode.Uri, options?: OpenBundleOptions) => openBundle(c, ready, bundles, target, options)),
    vscode.commands.registerCommand('bundleLens.showOutput', () => output.show()),
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
      // A mounted bundle archive (the window reopened with it): analysed as a whole.
      if (folder.uri.scheme === ARCHIVE_SCHEME && folder.uri.path === '/' && bundles.archivePath(folder.uri)) {
        await analyzeBundle(c, ready, bundles, folder.uri, true);
        continue;
      }
      if (folder.uri.scheme !== 'file') continue;
      const logs = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/sfc.exe*.log*'), undefined, 1);
      if (logs.length > 0) await analyzeBundle(c, ready, bundles, folder.uri, true);
    }
  }, () => undefined);

  return { ready, client: c, views, reports: panels, performance };
}

/** The root of a mounted bundle archive (`bundle-lens-archive://<id>/`), the only archive place the server can analyse. */
function isArchiveRoot(uri: vscode.Uri): boolean {
  return uri.scheme === ARCHIVE_SCHEME && (uri.path === '/' || uri.path === '');
}

/**
 * Analyses a folder (or a mounted bundle archive) as one bundle; its findings land in the Problems
 * panel on each file. With `quiet`, progress shows in the status bar and only failures are announced.
 */
async function analyzeBundle(c: LanguageClient, ready: Promise<void>, bundles: BundleFileSystem, target: vscode.Uri | undefined, quiet = false): Promise<AnalyzeBundleResult | undefined> {
  let folder = target;
  if (!folder) {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file' || isArchiveRoot(f.uri));
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
  const params: AnalyzeBundleParams = { uri: folder.toString() };
  // An engineer's explicit Analyze Bundle reads the bundle again; the quiet ones (on open, on a
  // change) reuse an unchanged bundle's analysis.
  if (!quiet) params.fresh = true;
  let shown = folder.scheme === 'file' ? folder.fsPath : folder.toString();
  if (folder.scheme === ARCHIVE_SCHEME) {
    // A mounted archive: the server reads the archive on disk and publishes on the mounted URIs.
    const archive = isArchiveRoot(folder) ? bundles.archivePath(folder) : undefined;
    if (!archive) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Only a whole bundle archive can be analysed: run Analyze Bundle on its root folder.'));
      return undefined;
    }
    params.uri = vscode.Uri.file(archive).toString();
    params.publishAs = folder.with({ path: '/' }).toString();
    shown = archive;
  } else if (folder.scheme !== 'file') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Only bundles on disk or mounted bundle archives can be analysed.'));
    return undefined;
  }
  const uri = folder;
  await ready;
  const location = quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
  try {
    const result = await vscode.window.withProgress(
      { location, title: vscode.l10n.t('Bundle Lens: analysing {0}…', vscode.workspace.asRelativePath(uri, true)), cancellable: !quiet },
      (_progress, token) => c.sendRequest(AnalyzeBundleRequestMethod, params, token) as Promise<AnalyzeBundleResult>,
    );
    // The trees follow the bundle just analysed (its analysis is cached by the server).
    await showBundle(c, params.uri.startsWith('file:') ? vscode.Uri.parse(params.uri).fsPath : shown, uri.scheme === ARCHIVE_SCHEME ? uri.with({ path: '/' }) : uri);
    if (!quiet) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Bundle Lens: {0} errors, {1} warnings and {2} notes in {3} of {4} files. See the Problems panel.', result.findings.error, result.findings.warning, result.findings.information, result.filesWithFindings, result.files),
      );
    }
    // The bundle's results stand until its files change: then it is analysed again, quietly.
    if (uri.scheme === 'file') watchBundle(uri, () => void analyzeBundle(c, ready, bundles, uri, true));
    else {
      const archive = params.uri.startsWith('file:') ? vscode.Uri.parse(params.uri) : undefined;
      if (archive) watchBundle(archive, () => void analyzeBundle(c, ready, bundles, uri, true));
    }
    return result;
  } catch (e) {
    if (e instanceof Error && /cancel/i.test(e.message)) return undefined;
    void vscode.window.showErrorMessage(vscode.l10n.t('Bundle Lens could not analyse {0}: {1}', shown, e instanceof Error ? e.message : String(e)));
    return undefined;
  }
}

/** Bundles being watched (folder or archive on disk), with the pending re-analysis. */
const watched = new Map<string, { watcher: vscode.FileSystemWatcher; timer: NodeJS.Timeout | undefined }>();
/** Edits and copies come in bursts: one re-analysis after things settle. */
const REANALYSE_DELAY_MS = 2000;

function watchBundle(target: vscode.Uri, reanalyse: () => void): void {
  const key = target.toString();
  if (watched.has(key)) return;
  const pattern = target.path.match(/\.(zip|7z)$/i)
    ? new vscode.RelativePattern(vscode.Uri.joinPath(target, '..'), target.path.split('/').pop()!)
    : new vscode.RelativePattern(target, '**/*');
  const watcher = vscode.workspace.createFileSystemWatcher(pattern);
  const entry = { watcher, timer: undefined as NodeJS.Timeout | undefined };
  const changed = () => {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(reanalyse, REANALYSE_DELAY_MS);
  };
  watcher.onDidChange(changed);
  watcher.onDidCreate(changed);
  watcher.onDidDelete(changed);
  watched.set(key, entry);
}

export async function deactivate(): Promise<void> {
  for (const w of watched.values()) {
    clearTimeout(w.timer);
    w.watcher.dispose();
  }
  watched.clear();
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

interface DiagnoseTarget {
  params: DiagnoseParams;
  /** Where the subject's relative paths start (links in the report). */
  base: vscode.Uri;
  /** A folder or an archive on disk: the trees follow it. */
  bundlePath?: string;
}

/**
 * What to diagnose: the given resource, else the active editor's document when the server holds
 * it (the whole bundle when it belongs to the bundle the trees show), else that bundle, else the
 * first workspace folder. Anything inside a mounted
 * archive (`bundle-lens-archive:`) stands for the whole archive, read in place by the server.
 */
async function diagnoseTarget(bundles: BundleFileSystem, target?: vscode.Uri): Promise<DiagnoseTarget | undefined> {
  const archive = (uri: vscode.Uri): DiagnoseTarget | undefined => {
    const p = bundles.archivePath(uri);
    return p ? { params: { path: p }, base: uri.with({ path: '/' }), bundlePath: p } : undefined;
  };
  const document = (doc: vscode.TextDocument): DiagnoseTarget => ({ params: { uri: doc.uri.toString() }, base: vscode.Uri.joinPath(doc.uri, '..') });
  if (target) {
    if (target.scheme === ARCHIVE_SCHEME) return archive(target);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
    if (open && isServed(open)) return document(open);
    if (target.scheme === 'file') {
      const folder = await vscode.workspace.fs.stat(target).then(
        (st) => (st.type & vscode.FileType.Directory) !== 0,
        () => false,
      );
      const whole = folder || (await isArchive(target).catch(() => false));
      const t: DiagnoseTarget = { params: { path: target.fsPath }, base: folder ? target : vscode.Uri.joinPath(target, '..') };
      if (whole) t.bundlePath = target.fsPath;
      return t;
    }
  }
  const current = caseModel?.bundle;
  const whole = current ? { params: { path: current.path }, base: current.base, bundlePath: current.path } : undefined;
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.uri.scheme === ARCHIVE_SCHEME) return archive(editor.document.uri);
  if (editor && isServed(editor.document)) {
    // A file of the bundle the trees show stands for the bundle; any other file for itself.
    const inside = current && editor.document.uri.toString().startsWith(current.base.toString().replace(/\/?$/, '/'));
    return inside ? whole : document(editor.document);
  }
  if (whole) return whole;
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (f.uri.scheme === 'file') return { params: { path: f.uri.fsPath }, base: f.uri, bundlePath: f.uri.fsPath };
    if (f.uri.scheme === ARCHIVE_SCHEME) {
      const t = archive(f.uri);
      if (t) return t;
    }
  }
  return undefined;
}

/** Diagnose TETRA Failure / Diagnose Isolation: the playbook's report, opened in the Markdown preview. */
async function diagnose(c: LanguageClient, ready: Promise<void>, bundles: BundleFileSystem, playbook: 'tetra' | 'isolation', target?: vscode.Uri): Promise<DiagnoseResult | undefined> {
  const name = playbook === 'tetra' ? vscode.l10n.t('Diagnose TETRA Failure') : vscode.l10n.t('Diagnose Isolation');
  const chosen = await diagnoseTarget(bundles, target instanceof vscode.Uri ? target : undefined);
  if (!chosen) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a support bundle, a bundle folder or a connector log (sfc.exe.log), then run {0} again.', name));
    return undefined;
  }
  await ready;
  const params: DiagnoseParams = { ...chosen.params, playbook };
  let result: DiagnoseResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: playbook === 'tetra' ? vscode.l10n.t('Diagnosing TETRA updates…') : vscode.l10n.t('Diagnosing endpoint isolation…'), cancellable: true },
      (_progress, token) => c.sendRequest<DiagnoseResult>(DiagnoseRequestMethod, params, token),
    );
  } catch (e) {
    if (e instanceof Error && /cancel/i.test(e.message)) return undefined;
    void vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1}', name, e instanceof Error ? e.message : String(e)));
    return undefined;
  }
  // The trees follow a bundle diagnosed by path (cached by the server: no second read).
  if (chosen.bundlePath && caseModel?.bundle?.path !== chosen.bundlePath) await showBundle(c, chosen.bundlePath, chosen.base);
  if (reportPanels) reportPanels.show(playbook, result, chosen.base);
  else {
    const uri = reports.publish(reportName(playbook), result.markdown);
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  }
  return result;
}

/** Asks the server for the trees' view of a bundle on disk and shows it (a failure is logged, the trees keep what they had). */
async function showBundle(c: LanguageClient, bundlePath: string, base: vscode.Uri): Promise<void> {
  if (!caseModel) return;
  try {
    const view = await c.sendRequest<BundleView>(BundleViewRequestMethod, { path: bundlePath } satisfies BundleViewParams);
    caseModel.set({ path: bundlePath, base, view });
  } catch (e) {
    c.outputChannel.error(`bundle view of ${bundlePath} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Refresh Bundle Views: the current bundle again (re-read only if its files changed). */
async function refreshViews(c: LanguageClient, ready: Promise<void>): Promise<void> {
  const current = caseModel?.bundle;
  if (!current) return;
  await ready;
  await showBundle(c, current.path, current.base);
}

/** Opens a file of the current bundle at a 1-based line (from the trees). */
async function openEvidence(model: CaseModel, file: string, line: number): Promise<void> {
  const base = model.bundle?.base;
  if (base && typeof file === 'string') await openInBundle(base, file, Number(line) || 1);
}

/** Options of `bundleLens.openBundle` (for tests and other extensions). */
export interface OpenBundleOptions {
  /**
   * false: mount (and analyse) without adding a workspace folder; the folder URI is still
   * returned. Adding a folder to a single-folder window turns it into a workspace, which reloads
   * a browser-hosted VS Code (code-server) and with it the extension host.
   */
  addToWorkspace?: boolean;
}

/**
 * Open Support Bundle…: a folder is added to the workspace (or analysed, when it is already
 * there); a `.zip`/`.7z` (by its magic bytes: a `.7z` that is a zip works) is mounted read-only as
 * the workspace folder `bundle-lens-archive://<id>/`, named after the archive, and analysed so
 * the Problems panel lists every file's findings. Returns the folder's URI.
 */
async function openBundle(c: LanguageClient, ready: Promise<void>, bundles: BundleFileSystem, target?: vscode.Uri, options: OpenBundleOptions = {}): Promise<vscode.Uri | undefined> {
  const uri = target instanceof vscode.Uri ? target : await pickBundle();
  if (!uri) return undefined;
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Bundle Lens cannot open {0}: {1}', uri.scheme === 'file' ? uri.fsPath : uri.toString(), errorWords(e)));
    return undefined;
  }
  const name = path.basename(uri.path);
  let folder: vscode.Uri;
  if (stat.type & vscode.FileType.Directory) {
    folder = uri;
  } else if (await isArchive(uri)) {
    if (uri.scheme !== 'file') {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} is inside a bundle already: browse it in the Explorer. Only archives on disk are opened as bundles.', name));
      return undefined;
    }
    folder = await bundles.mount(uri.fsPath);
  } else {
    // Neither a folder nor an archive: a single file, opened as it is.
    await vscode.window.showTextDocument(uri);
    return uri;
  }
  const present = (vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.toString() === folder.toString());
  if (!present && options.addToWorkspace !== false) {
    // Not awaited: a single-folder window becomes a workspace, which may restart this extension
    // host (then the activation analyses the mounted folder again) or, in a browser-hosted VS Code,
    // reload the page; the analysis below does not depend on the folder being there.
    const index = vscode.workspace.workspaceFolders?.length ?? 0;
    if (!vscode.workspace.updateWorkspaceFolders(index, 0, { uri: folder, name })) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Bundle Lens could not add {0} to the workspace.', name));
      return undefined;
    }
  }
  if (folder.scheme === 'file' || folder.scheme === ARCHIVE_SCHEME) await analyzeBundle(c, ready, bundles, folder);
  return folder;
}

/** The palette's way in: an archive (the usual case) or an extracted folder. */
async function pickBundle(): Promise<vscode.Uri | undefined> {
  // Windows and Linux dialogs cannot select files and folders at once: ask which first.
  const archive = { label: vscode.l10n.t('$(file-zip) A bundle archive (.zip, .7z)'), folders: false };
  const folder = { label: vscode.l10n.t('$(folder) An extracted bundle folder'), folders: true };
  const kind = await vscode.window.showQuickPick([archive, folder], { placeHolder: vscode.l10n.t('Open a Secure Endpoint support bundle') });
  if (!kind) return undefined;
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: !kind.folders,
    canSelectFolders: kind.folders,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Open Bundle'),
    title: vscode.l10n.t('Open a Secure Endpoint support bundle (folder, .zip or .7z)'),
    ...(kind.folders ? {} : { filters: { [vscode.l10n.t('Support bundles')]: ['zip', '7z'], [vscode.l10n.t('All files')]: ['*'] } }),
  });
  return picked?.[0];
}

/** Reads the first bytes of a file (never the whole file: bundles are hundreds of MB). */
async function isArchive(uri: vscode.Uri): Promise<boolean> {
  if (uri.scheme !== 'file') return /\.(zip|7z)$/i.test(uri.path);
  const handle = await fs.open(uri.fsPath, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    return sniffArchive(head.subarray(0, bytesRead)) !== undefined;
  } finally {
    await handle.close();
  }
}
