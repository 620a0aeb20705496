/**
 * The Bundle Lens VS Code client: starts the language server, registers commands and views.
 * Every user-visible string goes through `vscode.l10n`.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  DiagnoseRequestMethod,
  ServerReadyNotificationMethod,
  type DiagnoseParams,
  type DiagnoseResult,
  type InitializationOptions,
} from '../shared/protocol';
import { ReportProvider } from './reports';
import { registerFindingsView } from './views';

/** What `activate` returns: the tests' readiness signal and the commands' results. */
export interface BundleLensApi {
  /** Resolves when the language server has started and initialised. */
  ready: Promise<void>;
  client: LanguageClient;
}

const LOG_LANGUAGE_ID = 'secure-endpoint-log';

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
    // Any scheme: files on disk, untitled buffers and (later) files inside a mounted bundle.
    documentSelector: [
      { language: LOG_LANGUAGE_ID },
      { language: 'xml', pattern: '**/local.xml' },
      { language: 'xml', pattern: '**/policy.xml' },
      // Pasted command outputs (curl -v, Get-TlsCipherSuite, console text): the server answers
      // only for numbers that are evidently codes there.
      { language: 'plaintext' },
    ],
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
    vscode.commands.registerCommand('bundleLens.diagnoseTetra', (target?: vscode.Uri) => diagnoseTetra(c, ready, target)),
    vscode.commands.registerCommand('bundleLens.openBundle', () => openBundle()),
    vscode.commands.registerCommand('bundleLens.showOutput', () => output.show()),
    registerFindingsView(),
    vscode.workspace.registerTextDocumentContentProvider(ReportProvider.scheme, reports),
  );

  return { ready, client: c };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** What to diagnose: the given resource, else the active editor's document, else the first workspace folder. */
function diagnoseTarget(target?: vscode.Uri): DiagnoseParams | undefined {
  if (target) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
    if (open) return { uri: open.uri.toString() };
    if (target.scheme === 'file') return { path: target.fsPath };
  }
  const editor = vscode.window.activeTextEditor;
  if (editor) return { uri: editor.document.uri.toString() };
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
  void vscode.window.showWarningMessage(
    vscode.l10n.t('Opening archives is not supported yet: extract {0} and open the folder.', uri.path.split('/').pop() ?? ''),
  );
}
