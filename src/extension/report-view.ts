/**
 * The Diagnose reports (issue 8, parts 2–3) in a webview: the verdict, every step of the playbook
 * with its evidence as links that open the bundle's file at the line (also inside a mounted
 * archive), what would settle the steps without evidence, and the next steps with a copy button.
 * Bundle text is untrusted: the page's script (media/report.js) puts it in the page as text only,
 * under a content security policy that allows nothing but that script (by nonce) and the
 * extension's stylesheet. No command URIs, no remote content. The full Markdown report (inventory,
 * every finding, what is missing) stays one click away as a read-only document.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { DiagnoseResult, DiagnosisView } from '../shared/protocol';
import { reportName, type ReportProvider } from './reports';

export type Playbook = 'tetra' | 'isolation';

/** What a report panel shows, and where its evidence opens. */
export interface ShownReport {
  playbook: Playbook;
  subject: string;
  diagnosis: DiagnosisView;
  /** The folder the evidence's relative paths start from (a `file:` folder or a mounted archive's root). */
  base: vscode.Uri;
  /** The full Markdown report. */
  markdown: vscode.Uri;
}

/** A message from the page. */
type FromPage = { type: 'ready' } | { type: 'open'; file: string; line: number } | { type: 'copy'; text: string } | { type: 'markdown' };

function labels(): Record<string, unknown> {
  return {
    analysed: vscode.l10n.t('Analysed:'),
    steps: vscode.l10n.t('Steps'),
    next: vscode.l10n.t('Next steps'),
    settle: vscode.l10n.t('What would settle it:'),
    copy: vscode.l10n.t('Copy'),
    open: vscode.l10n.t('Open at this line'),
    nothingToDo: vscode.l10n.t('Nothing to do.'),
    fullReport: vscode.l10n.t('Open the full report (inventory, every finding, what is missing)'),
    status: { pass: vscode.l10n.t('pass'), fail: vscode.l10n.t('fail'), unknown: vscode.l10n.t('no evidence') },
  };
}

export class ReportPanels implements vscode.Disposable {
  private readonly panels = new Map<Playbook, { panel: vscode.WebviewPanel; shown: ShownReport; ready: boolean }>();
  /** Fired with the page's messages once handled (tests wait on it). */
  private readonly handled = new vscode.EventEmitter<FromPage>();
  readonly onDidHandleMessage = this.handled.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly reports: ReportProvider,
  ) {}

  /** What the panel of a playbook shows (for tests), if it is open. */
  shown(playbook: Playbook): ShownReport | undefined {
    return this.panels.get(playbook)?.shown;
  }

  /** Shows (or updates) the report of a Diagnose result. */
  show(playbook: Playbook, result: DiagnoseResult, base: vscode.Uri): ShownReport {
    const markdown = this.reports.publish(reportName(playbook), result.markdown);
    const shown: ShownReport = { playbook, subject: result.subject, diagnosis: playbook === 'tetra' ? result.tetra : result.isolation, base, markdown };
    const title = playbook === 'tetra' ? vscode.l10n.t('TETRA diagnosis') : vscode.l10n.t('Isolation diagnosis');
    let entry = this.panels.get(playbook);
    if (!entry) {
      const media = vscode.Uri.joinPath(this.extensionUri, 'media');
      const panel = vscode.window.createWebviewPanel(`bundleLens.report.${playbook}`, title, vscode.ViewColumn.Beside, {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: [media],
        retainContextWhenHidden: false,
      });
      panel.iconPath = vscode.Uri.joinPath(media, 'bundle-lens.svg');
      panel.webview.html = this.html(panel.webview, media);
      const e = { panel, shown, ready: false };
      entry = e;
      this.panels.set(playbook, e);
      panel.onDidDispose(() => {
        if (this.panels.get(playbook) === e) this.panels.delete(playbook);
      });
      panel.webview.onDidReceiveMessage((m: FromPage) => void this.receive(e, m));
    } else {
      entry.shown = shown;
      entry.panel.title = title;
      entry.panel.reveal(undefined, true);
      if (entry.ready) void this.post(entry);
    }
    return shown;
  }

  private post(entry: { panel: vscode.WebviewPanel; shown: ShownReport }): Thenable<boolean> {
    const s = entry.shown;
    const heading = s.playbook === 'tetra' ? vscode.l10n.t('Bundle Lens — TETRA diagnosis') : vscode.l10n.t('Bundle Lens — isolation diagnosis');
    return entry.panel.webview.postMessage({ type: 'show', report: { heading, subject: s.subject, diagnosis: s.diagnosis }, labels: labels() });
  }

  private async receive(entry: { panel: vscode.WebviewPanel; shown: ShownReport; ready: boolean }, m: FromPage): Promise<void> {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready':
        entry.ready = true;
        await this.post(entry);
        break;
      case 'open':
        if (typeof m.file === 'string') await openInBundle(entry.shown.base, m.file, Number(m.line) || 1);
        break;
      case 'copy':
        if (typeof m.text === 'string') {
          await vscode.env.clipboard.writeText(m.text);
          void vscode.window.setStatusBarMessage(vscode.l10n.t('Bundle Lens: copied to the clipboard'), 3000);
        }
        break;
      case 'markdown':
        await vscode.commands.executeCommand('markdown.showPreview', entry.shown.markdown);
        break;
      default:
        return;
    }
    this.handled.fire(m);
  }

  /** The page: a nonce'd script, the extension's stylesheet, nothing else. */
  private html(webview: vscode.Webview, media: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'report.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'report.css'));
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`, `img-src ${webview.cspSource}`].join('; ');
    return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
</head>
<body>
<main id="report"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
    this.handled.dispose();
  }
}

/**
 * Opens a bundle file (relative, `/`-separated) at a 1-based line. Paths that would leave the
 * bundle's folder are refused: they come from untrusted text.
 */
export async function openInBundle(base: vscode.Uri, file: string, line: number): Promise<void> {
  const uri = bundleFileUri(base, file);
  if (!uri) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Bundle Lens: {0} is not a file of the bundle.', String(file)));
    return;
  }
  const at = new vscode.Position(Math.max(0, line - 1), 0);
  try {
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(at, at), preview: true, viewColumn: vscode.ViewColumn.One });
  } catch (e) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Bundle Lens cannot open {0} at line {1}: {2}. For a log over 50 MB, use Open Log Slice….', file, line, e instanceof Error ? e.message : String(e)),
    );
  }
}

/**
 * The URI of a bundle file from its relative path, or undefined when the path could leave the
 * bundle: `..` or empty segments with either separator (on Windows `Uri.joinPath` also splits on
 * `\\`), a drive or scheme (`:`), a leading separator.
 */
export function bundleFileUri(base: vscode.Uri, file: string): vscode.Uri | undefined {
  if (typeof file !== 'string' || file === '' || file.includes(':') || file.includes('\0')) return undefined;
  const segments = file.split(/[\\/]/);
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  const uri = vscode.Uri.joinPath(base, ...segments);
  const root = base.path.endsWith('/') ? base.path : `${base.path}/`;
  return uri.path.startsWith(root) && uri.scheme === base.scheme && uri.authority === base.authority ? uri : undefined;
}
