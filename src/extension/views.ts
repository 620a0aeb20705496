import * as vscode from 'vscode';

/**
 * The Findings view. Until bundle analysis feeds it, it has no items, so VS Code shows the
 * `viewsWelcome` text from the manifest (what to open, what to run).
 */
class FindingsProvider implements vscode.TreeDataProvider<never> {
  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }

  getChildren(): never[] {
    return [];
  }
}

export function registerFindingsView(): vscode.Disposable {
  return vscode.window.createTreeView('bundleLens.findings', { treeDataProvider: new FindingsProvider() });
}
