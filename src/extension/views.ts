/**
 * The four trees of the "Bundle Lens" container (issue 8, part 1): Endpoint, Findings, Codes and
 * Timeline, all fed by one `BundleView` the server returns for the current bundle (words already
 * in the display language). Every item that comes from a line opens it: files inside a folder at
 * their `file:` URI, files inside an archive at the mounted `bundle-lens-archive:` URI. Empty
 * states are the manifest's `viewsWelcome` texts, chosen by the `bundleLens.hasBundle` and
 * `bundleLens.hasLogs` context keys.
 */
import * as vscode from 'vscode';
import type { BundleView, EvidenceView, FindingView } from '../shared/protocol';

/** The bundle the trees show: its path on disk (what the server reads), where its files open, its view. */
export interface CurrentBundle {
  path: string;
  /** The folder the bundle's relative paths start from (`file:` folder or mounted archive root). */
  base: vscode.Uri;
  view: BundleView;
}

export const OPEN_EVIDENCE_COMMAND = 'bundleLens.openEvidence';

/** The current bundle, shared by the trees, the status bar and the commands. */
export class CaseModel implements vscode.Disposable {
  private current: CurrentBundle | undefined;
  private readonly changed = new vscode.EventEmitter<CurrentBundle | undefined>();
  readonly onDidChange = this.changed.event;

  get bundle(): CurrentBundle | undefined {
    return this.current;
  }

  set(bundle: CurrentBundle | undefined): void {
    this.current = bundle;
    void vscode.commands.executeCommand('setContext', 'bundleLens.hasBundle', bundle !== undefined);
    void vscode.commands.executeCommand('setContext', 'bundleLens.hasLogs', (bundle?.view.hints.logs ?? 0) > 0);
    this.changed.fire(bundle);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** A tree item that opens a bundle file at a 1-based line. */
function openAt(item: vscode.TreeItem, file: string | undefined, line: number | undefined): vscode.TreeItem {
  if (file) {
    item.command = { title: vscode.l10n.t('Open Evidence'), command: OPEN_EVIDENCE_COMMAND, arguments: [file, line ?? 1] };
    if (!item.tooltip) item.tooltip = line ? `${file}:${line}` : file;
  }
  return item;
}

function evidenceItem(e: EvidenceView, id: string): vscode.TreeItem {
  const item = new vscode.TreeItem(`${e.file}:${e.line}`, vscode.TreeItemCollapsibleState.None);
  item.id = id;
  item.description = e.text.trim();
  item.tooltip = e.text;
  item.iconPath = new vscode.ThemeIcon('go-to-file');
  item.contextValue = 'evidence';
  return openAt(item, e.file, e.line);
}

abstract class CaseTree<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  protected readonly changed = new vscode.EventEmitter<T | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(protected readonly model: CaseModel) {
    this.subscription = model.onDidChange(() => this.changed.fire(undefined));
  }

  abstract getTreeItem(element: T): vscode.TreeItem;
  abstract getChildren(element?: T): T[];

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

// --- Endpoint ----------------------------------------------------------------------------------

type EndpointNode =
  | { kind: 'verdict'; playbook: 'tetra' | 'isolation'; title: string; verdict: string }
  | { kind: 'fact'; fact: BundleView['endpoint'][number]; index: number }
  | { kind: 'place'; file: string; line: number; parent: number; index: number };

const VERDICT_ICON: Readonly<Record<string, string>> = { healthy: 'pass', 'not-isolated': 'pass', unknown: 'question' };

export class EndpointTree extends CaseTree<EndpointNode> {
  getChildren(element?: EndpointNode): EndpointNode[] {
    const view = this.model.bundle?.view;
    if (!view) return [];
    if (!element) {
      // Nothing known about the endpoint: the welcome text says what to add.
      if (view.endpoint.length === 0 && view.findings.length === 0) return [];
      return [
        { kind: 'verdict', playbook: 'tetra', title: view.verdicts.tetra.title, verdict: view.verdicts.tetra.verdict },
        { kind: 'verdict', playbook: 'isolation', title: view.verdicts.isolation.title, verdict: view.verdicts.isolation.verdict },
        ...view.endpoint.map((fact, index) => ({ kind: 'fact' as const, fact, index })),
      ];
    }
    if (element.kind === 'fact' && element.fact.places.length > 1) {
      return element.fact.places.map((p, index) => ({ kind: 'place' as const, file: p.file, line: p.line, parent: element.index, index }));
    }
    return [];
  }

  getTreeItem(node: EndpointNode): vscode.TreeItem {
    if (node.kind === 'verdict') {
      const label = node.playbook === 'tetra' ? vscode.l10n.t('TETRA updates') : vscode.l10n.t('Isolation');
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
      item.id = `verdict:${node.playbook}`;
      item.description = node.title;
      item.tooltip = vscode.l10n.t('{0}: {1}. Click for the full diagnosis.', label, node.title);
      item.iconPath = new vscode.ThemeIcon(VERDICT_ICON[node.verdict] ?? 'warning');
      item.contextValue = `verdict.${node.playbook}`;
      // The diagnosis of the bundle this tree shows, whatever editor is active.
      const base = this.model.bundle?.base;
      item.command = { title: label, command: node.playbook === 'tetra' ? 'bundleLens.diagnoseTetra' : 'bundleLens.diagnoseIsolation', arguments: base ? [base] : [] };
      return item;
    }
    if (node.kind === 'place') {
      const item = new vscode.TreeItem(`${node.file}:${node.line}`, vscode.TreeItemCollapsibleState.None);
      item.id = `fact:${node.parent}:${node.index}`;
      item.iconPath = new vscode.ThemeIcon('go-to-file');
      return openAt(item, node.file, node.line);
    }
    const f = node.fact;
    const item = new vscode.TreeItem(f.label, f.places.length > 1 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `fact:${node.index}`;
    item.description = f.description ?? f.value;
    if (f.tooltip) item.tooltip = f.tooltip;
    item.contextValue = `fact.${f.id}`;
    item.iconPath = new vscode.ThemeIcon('symbol-field');
    return openAt(item, f.file, f.line);
  }
}

// --- Findings ----------------------------------------------------------------------------------

type Finding = BundleView['findings'][number];
type FindingNode =
  | { kind: 'severity'; severity: FindingView['severity']; findings: Finding[] }
  | { kind: 'area'; severity: FindingView['severity']; area: string; label: string; findings: Finding[] }
  | { kind: 'finding'; finding: Finding; key: string }
  | { kind: 'evidence'; evidence: EvidenceView; key: string };

const SEVERITIES: ReadonlyArray<FindingView['severity']> = ['error', 'warning', 'information', 'hint'];
const SEVERITY_ICON: Readonly<Record<FindingView['severity'], vscode.ThemeIcon>> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  information: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
  hint: new vscode.ThemeIcon('lightbulb'),
};

function severityGroupLabel(severity: FindingView['severity'], count: number): string {
  switch (severity) {
    case 'error':
      return vscode.l10n.t('Errors ({0})', count);
    case 'warning':
      return vscode.l10n.t('Warnings ({0})', count);
    case 'information':
      return vscode.l10n.t('Information ({0})', count);
    default:
      return vscode.l10n.t('Hints ({0})', count);
  }
}

export class FindingsTree extends CaseTree<FindingNode> {
  getChildren(element?: FindingNode): FindingNode[] {
    const view = this.model.bundle?.view;
    if (!view) return [];
    if (!element) {
      return SEVERITIES.map((severity) => ({ kind: 'severity' as const, severity, findings: view.findings.filter((f) => f.severity === severity) })).filter((g) => g.findings.length > 0);
    }
    if (element.kind === 'severity') {
      const areas = new Map<string, Finding[]>();
      for (const f of element.findings) areas.set(f.area, [...(areas.get(f.area) ?? []), f]);
      return [...areas].map(([area, findings]) => ({ kind: 'area' as const, severity: element.severity, area, label: findings[0]!.areaLabel, findings }));
    }
    if (element.kind === 'area') {
      return element.findings.map((finding, i) => ({ kind: 'finding' as const, finding, key: `${element.severity}/${element.area}/${i}` }));
    }
    if (element.kind === 'finding') {
      return (element.finding.evidence ?? []).map((evidence, i) => ({ kind: 'evidence' as const, evidence, key: `${element.key}/${i}` }));
    }
    return [];
  }

  getTreeItem(node: FindingNode): vscode.TreeItem {
    switch (node.kind) {
      case 'severity': {
        const item = new vscode.TreeItem(severityGroupLabel(node.severity, node.findings.length), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `severity:${node.severity}`;
        item.iconPath = SEVERITY_ICON[node.severity];
        return item;
      }
      case 'area': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `area:${node.severity}/${node.area}`;
        item.description = String(node.findings.length);
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const hasEvidence = (f.evidence ?? []).length > 0;
        const item = new vscode.TreeItem(f.title ?? f.message, hasEvidence ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `finding:${node.key}`;
        item.description = f.count > 1 ? `${f.id} ×${f.count}` : f.id;
        item.tooltip = new vscode.MarkdownString().appendText(f.message);
        item.iconPath = SEVERITY_ICON[f.severity];
        item.contextValue = 'finding';
        return openAt(item, f.file, f.line);
      }
      case 'evidence':
        return evidenceItem(node.evidence, `evidence:${node.key}`);
    }
  }
}

// --- Codes -------------------------------------------------------------------------------------

type CodeNode = { kind: 'code'; code: BundleView['codes'][number]; index: number } | { kind: 'occurrence'; evidence: EvidenceView; key: string };

export class CodesTree extends CaseTree<CodeNode> {
  getChildren(element?: CodeNode): CodeNode[] {
    const view = this.model.bundle?.view;
    if (!view) return [];
    if (!element) return view.codes.map((code, index) => ({ kind: 'code' as const, code, index }));
    if (element.kind === 'code') return element.code.occurrences.map((evidence, i) => ({ kind: 'occurrence' as const, evidence, key: `${element.index}/${i}` }));
    return [];
  }

  getTreeItem(node: CodeNode): vscode.TreeItem {
    if (node.kind === 'occurrence') return evidenceItem(node.evidence, `occurrence:${node.key}`);
    const c = node.code;
    const item = new vscode.TreeItem(c.label, c.occurrences.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `code:${node.index}`;
    item.description = c.description ? `×${c.count} · ${c.description}` : `×${c.count}`;
    item.tooltip = c.tooltip ?? `${c.text} ×${c.count}`;
    item.iconPath = new vscode.ThemeIcon('symbol-numeric');
    item.contextValue = 'code';
    return item;
  }
}

// --- Timeline ----------------------------------------------------------------------------------

type TimelineNode = { kind: 'event'; event: BundleView['timeline'][number]; index: number } | { kind: 'more'; hidden: number };

const OUTCOME_ICON: Readonly<Record<string, vscode.ThemeIcon>> = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  info: new vscode.ThemeIcon('circle-outline'),
};

export class TimelineTree extends CaseTree<TimelineNode> {
  getChildren(element?: TimelineNode): TimelineNode[] {
    const view = this.model.bundle?.view;
    if (!view || element) return [];
    const nodes: TimelineNode[] = view.timeline.map((event, index) => ({ kind: 'event' as const, event, index }));
    const hidden = view.timelineTotal - view.timeline.length;
    if (hidden > 0) nodes.unshift({ kind: 'more', hidden });
    return nodes;
  }

  getTreeItem(node: TimelineNode): vscode.TreeItem {
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(vscode.l10n.t('… {0} earlier events not shown', node.hidden), vscode.TreeItemCollapsibleState.None);
      item.id = 'timeline:more';
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      return item;
    }
    const e = node.event;
    const item = new vscode.TreeItem(e.label, vscode.TreeItemCollapsibleState.None);
    item.id = `timeline:${node.index}`;
    if (e.description) item.description = e.description;
    if (e.tooltip) item.tooltip = e.tooltip;
    item.iconPath = OUTCOME_ICON[e.outcome] ?? OUTCOME_ICON['info'];
    item.contextValue = `timeline.${e.kind}`;
    return openAt(item, e.file, e.line);
  }
}

// --- Registration ------------------------------------------------------------------------------

export interface CaseViews {
  model: CaseModel;
  endpoint: EndpointTree;
  findings: FindingsTree;
  codes: CodesTree;
  timeline: TimelineTree;
}

/** Creates the four trees, the Findings badge and the status-bar counts, all following `model`. */
export function registerCaseViews(context: vscode.ExtensionContext, model: CaseModel): CaseViews {
  const endpoint = new EndpointTree(model);
  const findings = new FindingsTree(model);
  const codes = new CodesTree(model);
  const timeline = new TimelineTree(model);
  const findingsView = vscode.window.createTreeView('bundleLens.findings', { treeDataProvider: findings, showCollapseAll: true });
  const status = vscode.window.createStatusBarItem('bundleLens.findingsStatus', vscode.StatusBarAlignment.Left, -1);
  status.name = vscode.l10n.t('Bundle Lens findings');
  status.command = 'bundleLens.findings.focus';
  const update = (bundle: CurrentBundle | undefined) => {
    if (!bundle) {
      findingsView.badge = undefined;
      status.hide();
      return;
    }
    const { error, warning, information } = bundle.view.counts;
    findingsView.badge = error + warning > 0 ? { value: error + warning, tooltip: vscode.l10n.t('{0} errors and {1} warnings in the bundle', error, warning) } : undefined;
    findingsView.description = bundle.path.split(/[\\/]/).pop() ?? bundle.path;
    status.text = `$(error) ${error} $(warning) ${warning} $(info) ${information}`;
    status.tooltip = vscode.l10n.t('Bundle Lens: {0} errors, {1} warnings and {2} notes in {3}', error, warning, information, bundle.path);
    status.accessibilityInformation = { label: vscode.l10n.t('Bundle Lens findings: {0} errors, {1} warnings, {2} notes', error, warning, information) };
    status.show();
  };
  context.subscriptions.push(
    model,
    endpoint,
    findings,
    codes,
    timeline,
    findingsView,
    status,
    model.onDidChange(update),
    vscode.window.createTreeView('bundleLens.endpoint', { treeDataProvider: endpoint }),
    vscode.window.createTreeView('bundleLens.codes', { treeDataProvider: codes, showCollapseAll: true }),
    vscode.window.createTreeView('bundleLens.timeline', { treeDataProvider: timeline }),
  );
  void vscode.commands.executeCommand('setContext', 'bundleLens.hasBundle', false);
  return { model, endpoint, findings, codes, timeline };
}
