import * as vscode from 'vscode';

/**
 * Reports as read-only virtual documents (`bundle-lens-report:`): shown in the Markdown preview,
 * never dirty, never a "save changes?" prompt. The preview renders bundle text as Markdown under
 * VS Code's default strict preview security (no scripts).
 */
export class ReportProvider implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'bundle-lens-report';
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** Stores (or replaces) a report and returns its URI. */
  publish(name: string, markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: ReportProvider.scheme, path: '/' + name });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }
}

/** The report document's name (the Markdown preview's tab): its words, in the display language. */
export function reportName(playbook: 'tetra' | 'isolation'): string {
  return `${playbook === 'tetra' ? vscode.l10n.t('TETRA diagnosis') : vscode.l10n.t('Isolation diagnosis')}.md`;
}
