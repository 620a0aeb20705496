/**
 * The Performance tree and report (issue 9): "the connector makes this machine slow", answered
 * from the bundle's debug logs. The server counts (bundleLens/tune); this shows its sections —
 * suggested exclusions, top processes, folders, files and extensions, the busiest minutes, and the
 * policy's exclusions against the activity — and the full report in the Markdown preview. A log
 * without debug lines gets the commands to collect one, not empty lists.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TuneRequestMethod, type TuneItemView, type TuneParams, type TuneView } from '../shared/protocol';
import type { ReportProvider } from './reports';
import { openInBundle } from './report-view';

type Node =
  | { kind: 'set'; index: number }
  | { kind: 'section'; set: number; index: number }
  | { kind: 'item'; set: number; section: number; index: number; item: TuneItemView }
  | { kind: 'status' }
  | { kind: 'collect'; index: number; item: TuneItemView };

export class PerformanceTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private current: { view: TuneView; base: vscode.Uri } | undefined;

  /** What the tree shows (for tests). */
  get view(): TuneView | undefined {
    return this.current?.view;
  }

  show(view: TuneView, base: vscode.Uri): void {
    this.current = { view, base };
    this.changed.fire(undefined);
  }

  get base(): vscode.Uri | undefined {
    return this.current?.base;
  }

  getChildren(node?: Node): Node[] {
    const view = this.current?.view;
    if (!view) return [];
    if (!node) {
      const head: Node[] = view.status === 'ok' ? [] : [{ kind: 'status' }, ...view.collect.map((item, index) => ({ kind: 'collect' as const, index, item }))];
      if (view.sets.length === 1) return [...head, ...this.sections(0)];
      return [...head, ...view.sets.map((_, index) => ({ kind: 'set' as const, index }))];
    }
    if (node.kind === 'set') return this.sections(node.index);
    if (node.kind === 'section') {
      return (view.sets[node.set]?.sections[node.index]?.items ?? []).map((item, index) => ({ kind: 'item' as const, set: node.set, section: node.index, index, item }));
    }
    return [];
  }

  private sections(set: number): Node[] {
    return (this.current?.view.sets[set]?.sections ?? []).map((_, index) => ({ kind: 'section' as const, set, index }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const view = this.current!.view;
    switch (node.kind) {
      case 'status': {
        const item = new vscode.TreeItem(view.statusText, vscode.TreeItemCollapsibleState.None);
        item.id = 'perf:status';
        item.tooltip = view.statusText;
        item.iconPath = new vscode.ThemeIcon(view.status === 'not-debug' ? 'warning' : 'info');
        return item;
      }
      case 'collect': {
        const item = new vscode.TreeItem(node.item.label, vscode.TreeItemCollapsibleState.None);
        item.id = `perf:collect:${node.index}`;
        item.description = node.item.description ?? '';
        item.tooltip = vscode.l10n.t('Copy: {0}', node.item.copy ?? '');
        item.iconPath = new vscode.ThemeIcon('copy');
        if (node.item.copy) item.command = { title: vscode.l10n.t('Copy'), command: 'bundleLens.copyText', arguments: [node.item.copy] };
        return item;
      }
      case 'set': {
        const set = view.sets[node.index]!;
        const item = new vscode.TreeItem(set.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `perf:set:${node.index}`;
        item.description = set.description;
        item.iconPath = new vscode.ThemeIcon('versions');
        return item;
      }
      case 'section': {
        const section = view.sets[node.set]!.sections[node.index]!;
        const open = section.id === 'suggestions' || section.id === 'processes';
        const item = new vscode.TreeItem(section.label, section.items.length === 0 ? vscode.TreeItemCollapsibleState.None : open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `perf:section:${node.set}:${node.index}`;
        item.description = section.items.length === 0 ? vscode.l10n.t('none') : String(section.items.length);
        item.contextValue = `perf.${section.id}`;
        return item;
      }
      case 'item': {
        const section = view.sets[node.set]!.sections[node.section]!;
        const item = new vscode.TreeItem(node.item.label, vscode.TreeItemCollapsibleState.None);
        item.id = `perf:item:${node.set}:${node.section}:${node.index}`;
        if (node.item.description) item.description = node.item.description;
        item.tooltip = node.item.tooltip || `${node.item.label}\n${node.item.description ?? ''}`;
        item.contextValue = `perf.${section.id}.item`;
        if (section.id === 'suggestions') {
          item.iconPath = new vscode.ThemeIcon('lightbulb');
          item.command = { title: vscode.l10n.t('Copy'), command: 'bundleLens.copyText', arguments: [node.item.label] };
        }
        if (node.item.file && this.current) {
          const base = this.current.base;
          const file = node.item.file;
          const line = node.item.line ?? 1;
          item.command = { title: vscode.l10n.t('Open Evidence'), command: 'bundleLens.openPerformanceSource', arguments: [base, file, line] };
        }
        return item;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Options of `bundleLens.tune` when called programmatically (tests, other extensions): no prompts. */
export interface TuneCommandOptions {
  from?: string;
  to?: string;
  top?: number;
}

/**
 * Performance Report: tunes a bundle on disk and shows the tree and the report. From the palette it
 * asks for an optional time window (the time the customer saw the problem).
 */
export async function runTune(
  c: LanguageClient,
  tree: PerformanceTree,
  reports: ReportProvider,
  target: { path: string; base: vscode.Uri } | undefined,
  options?: TuneCommandOptions,
): Promise<TuneView | undefined> {
  if (!target) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a support bundle or a bundle folder first, then run Performance Report.'));
    return undefined;
  }
  const params: TuneParams = { path: target.path };
  if (options) {
    if (options.from) params.from = options.from;
    if (options.to) params.to = options.to;
    if (options.top) params.top = options.top;
  } else {
    const from = await vscode.window.showInputBox({
      title: vscode.l10n.t('Performance Report: from (optional)'),
      prompt: vscode.l10n.t('The time the problem started, as the log writes times; empty for the whole log.'),
      placeHolder: 'Mar 03 14:00:00',
    });
    if (from === undefined) return undefined;
    const to = from.trim()
      ? await vscode.window.showInputBox({ title: vscode.l10n.t('Performance Report: to (optional)'), prompt: vscode.l10n.t('The time the problem ended; empty for the end of the log.'), placeHolder: 'Mar 03 15:00:00' })
      : '';
    if (to === undefined) return undefined;
    if (from.trim()) params.from = from.trim();
    if (to.trim()) params.to = to.trim();
  }
  let view: TuneView;
  try {
    view = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Counting the connector\'s file activity…'), cancellable: true },
      (_progress, token) => c.sendRequest<TuneView>(TuneRequestMethod, params, token),
    );
  } catch (e) {
    if (e instanceof Error && /cancel/i.test(e.message)) return undefined;
    void vscode.window.showErrorMessage(vscode.l10n.t('Performance Report: {0}', e instanceof Error ? e.message : String(e)));
    return undefined;
  }
  // The items' files are relative to the folder the server names (for a single log, the folder
  // holding it and its policy); inside a mounted archive, the archive's root.
  tree.show(view, target.base.scheme === 'file' ? vscode.Uri.file(view.base) : target.base);
  const uri = reports.publish(`${vscode.l10n.t('Performance report')}.md`, view.markdown);
  await vscode.workspace.openTextDocument(uri);
  await vscode.commands.executeCommand('markdown.showPreview', uri);
  return view;
}

/** Registers the tree, its command to open a policy line, and returns the provider. */
export function registerPerformanceTree(context: vscode.ExtensionContext): PerformanceTree {
  const tree = new PerformanceTree();
  context.subscriptions.push(
    tree,
    vscode.window.createTreeView('bundleLens.performance', { treeDataProvider: tree }),
    vscode.commands.registerCommand('bundleLens.openPerformanceSource', (base: vscode.Uri, file: string, line: number) => openInBundle(base, file, line)),
  );
  return tree;
}
