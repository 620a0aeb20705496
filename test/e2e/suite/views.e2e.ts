/**
 * The case trees and the two Diagnose reports in a real VS Code (issue 8): a fixture bundle is
 * analysed with the command, the four trees are read through their providers (as the workbench
 * reads them), their items open the evidence at its line, and Diagnose TETRA Failure / Diagnose
 * Isolation return their verdicts and open their reports. Waits are on the commands' own
 * completion and on editor-change events, never on sleeps.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BundleLensApi } from '../../../src/extension/extension';
import type { DiagnoseResult } from '../../../src/shared/protocol';
import { bundleLens } from './signals';

const workspace = process.env['BUNDLE_LENS_E2E_WORKSPACE'] ?? vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const bundle = (name: string) => vscode.Uri.file(path.join(workspace, name));

/** Every item of a tree, depth first, with its children's items (bounded depth). */
async function items<T>(provider: vscode.TreeDataProvider<T>, element?: T, depth = 0): Promise<Array<{ item: vscode.TreeItem; depth: number; element: T }>> {
  const children = (await provider.getChildren(element)) ?? [];
  const out: Array<{ item: vscode.TreeItem; depth: number; element: T }> = [];
  for (const child of children) {
    out.push({ item: await provider.getTreeItem(child), depth, element: child });
    if (depth < 4) out.push(...(await items(provider, child, depth + 1)));
  }
  return out;
}

const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
const described = (item: vscode.TreeItem) => `${label(item)} ${typeof item.description === 'string' ? item.description : ''}`;

/** Runs a tree item's command and resolves once the active editor shows `file` (by path end). */
async function openedBy(item: vscode.TreeItem, file: string): Promise<vscode.TextEditor> {
  assert.ok(item.command, `${label(item)} has no command`);
  const shown = new Promise<vscode.TextEditor>((resolve, reject) => {
    const check = (e: vscode.TextEditor | undefined) => {
      if (e && e.document.uri.path.endsWith(file)) {
        sub.dispose();
        clearTimeout(timer);
        resolve(e);
      }
    };
    const sub = vscode.window.onDidChangeActiveTextEditor(check);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`${file} was not opened by ${label(item)}`));
    }, 20_000);
  });
  await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
  const active = vscode.window.activeTextEditor;
  if (active && active.document.uri.path.endsWith(file)) return active;
  return shown;
}

describe('Case trees and Diagnose reports', () => {
  let api: BundleLensApi;

  before(async () => {
    api = await bundleLens();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Analyze Bundle fills the four trees, and each item opens its evidence at the line', async () => {
    const target = bundle('proxy-bundle');
    await vscode.commands.executeCommand('bundleLens.analyzeBundle', target);
    const current = api.views.model.bundle;
    assert.equal(current?.path, target.fsPath);

    // Findings: grouped by severity, then area; each finding expands to its evidence.
    const findings = await items(api.views.findings);
    const groups = findings.filter((x) => x.depth === 0).map((x) => label(x.item));
    assert.match(groups[0] ?? '', /^Errors \(2\)$/, JSON.stringify(groups));
    const failure = findings.find((x) => x.depth === 2 && described(x.item).includes('tetra.update-failed'));
    assert.ok(failure, JSON.stringify(findings.map((x) => described(x.item))));
    const evidence = findings.find((x) => x.depth === 3 && label(x.item).startsWith('Cisco/AMP/8.1.7.21417/sfc.exe.log:'));
    assert.ok(evidence, 'an evidence line in the log');
    const line = Number(label(evidence.item).split(':').pop());
    const editor = await openedBy(evidence.item, 'sfc.exe.log');
    assert.equal(editor.selection.active.line, line - 1);
    assert.match(editor.document.lineAt(line - 1).text, /2103|4294965193/);

    // Endpoint: the verdict lines first, then the facts with their sources.
    const endpoint = await items(api.views.endpoint);
    const verdict = endpoint.find((x) => x.item.id === 'verdict:tetra');
    assert.ok(verdict, 'the TETRA verdict line');
    assert.match(described(verdict.item), /proxy/i);
    const version = endpoint.find((x) => described(x.item).includes('8.1.7.21417'));
    assert.ok(version, JSON.stringify(endpoint.map((x) => described(x.item))));

    // Codes: -2103 and 4294965193 are one code, decoded.
    const codes = await items(api.views.codes);
    const proxyCode = codes.filter((x) => x.depth === 0 && /4294965193|-2103/.test(described(x.item)));
    assert.equal(proxyCode.length, 1, JSON.stringify(codes.map((x) => described(x.item))));
    assert.match(described(proxyCode[0]!.item), /proxy/i);
    assert.ok(codes.some((x) => x.depth === 1), 'occurrences under the code');

    // Timeline: the failed TETRA attempts, in time order.
    const timeline = await items(api.views.timeline);
    assert.ok(timeline.length > 0, 'timeline items');
    assert.ok(timeline.some((x) => x.item.contextValue === 'timeline.tetra.failed'), JSON.stringify(timeline.map((x) => x.item.contextValue)));
  });

  it('offers the field snippets with the bundle\u2019s version folder while it is open', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'powershell', content: 'se-forceupdate' });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 'se-forceupdate'.length));
    const ours = list.items.filter((i) => typeof i.label !== 'string' && i.label.label === 'se-forceupdate' && /8\.1\.7\.21417/.test(i.label.description ?? ''));
    assert.equal(ours.length, 1, JSON.stringify(list.items.map((i) => i.label)));
    const body = (ours[0]!.insertText as vscode.SnippetString).value;
    // The snippet's own text (its \\ is one backslash once inserted), version folder filled in.
    assert.ok(body.includes("\\\\AMP\\\\${1:8.1.7.21417}\\\\sfc.exe' -forceupdate"), body);
    // The static snippet is still there, beside it.
    assert.ok(list.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'se-forceupdate' && i !== ours[0]));
  });

  it('Diagnose TETRA Failure gives the verdict with every step and opens the report', async () => {
    const result = await vscode.commands.executeCommand<DiagnoseResult>('bundleLens.diagnoseTetra');
    assert.ok(result, 'a result');
    assert.equal(result.subject, bundle('proxy-bundle').fsPath, 'the bundle the trees show');
    assert.equal(result.tetra.verdict, 'proxy-connect');
    const ids = result.tetra.steps.map((s) => s.id);
    for (const id of ['tetra.connected', 'tetra.definitions', 'tetra.force-update', 'tetra.update-server', 'tetra.dns', 'tetra.tls', 'tetra.proxy', 'tetra.cipher-suites', 'tetra.collect']) {
      assert.ok(ids.includes(id), `${id} in ${JSON.stringify(ids)}`);
    }
    assert.equal(result.tetra.steps.find((s) => s.id === 'tetra.proxy')?.status, 'fail');
    // The report panel shows the verdict; its page's evidence links open the file at the line.
    const shown = api.reports.shown('tetra');
    assert.equal(shown?.diagnosis.verdict, 'proxy-connect');
    const proxyStep = shown!.diagnosis.steps.find((s) => s.id === 'tetra.proxy')!;
    const ev = proxyStep.evidence.find((e) => e.file.endsWith('sfc.exe.log'))!;
    assert.ok(ev, 'the proxy step cites the log');
    // The full Markdown report (one click away) leads with the verdict too; Markdown escapes aside.
    const heading = result.markdown.split('\n').find((l) => l.startsWith('## '));
    assert.ok(heading?.replace(/\\(.)/g, '$1').endsWith(result.tetra.title), `${heading} vs ${result.tetra.title}`);
  });

  it('Diagnose Isolation on an isolated endpoint says so, with the recovery steps', async () => {
    const result = await vscode.commands.executeCommand<DiagnoseResult>('bundleLens.diagnoseIsolation', bundle('case-isolation'));
    assert.ok(result, 'a result');
    assert.ok(['isolated', 'isolated-unlock-failing', 'unlock-locked-out'].includes(result.isolation.verdict), result.isolation.verdict);
    assert.ok(result.isolation.actions.some((a) => /reg delete|sfc\.exe -n/.test(a.command ?? '')), JSON.stringify(result.isolation.actions));
    assert.equal(api.reports.shown('isolation')?.diagnosis.title, result.isolation.title);
    // The trees followed the bundle diagnosed.
    assert.equal(api.views.model.bundle?.path, bundle('case-isolation').fsPath);
    const endpoint = await items(api.views.endpoint);
    assert.match(described(endpoint.find((x) => x.item.id === 'verdict:isolation')!.item), new RegExp(result.isolation.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  it('a healthy bundle: no error or warning group, and a healthy TETRA verdict', async () => {
    await vscode.commands.executeCommand('bundleLens.analyzeBundle', bundle('case-healthy'));
    assert.equal(api.views.model.bundle?.path, bundle('case-healthy').fsPath);
    const groups = (await items(api.views.findings)).filter((x) => x.depth === 0).map((x) => label(x.item));
    assert.ok(!groups.some((g) => /^(Errors|Warnings)/.test(g)), JSON.stringify(groups));
    const result = await vscode.commands.executeCommand<DiagnoseResult>('bundleLens.diagnoseTetra');
    assert.equal(result?.tetra.verdict, 'healthy');
  });

  it('Performance Report: the tree shows the top process of a debug bundle, and the report opens', async () => {
    const view = await vscode.commands.executeCommand<any>('bundleLens.tune', bundle('tune-bundle'), { top: 5 });
    assert.equal(view?.status, 'ok');
    const tree = await items(api.performance);
    const sections = tree.filter((x) => x.depth === 0).map((x) => label(x.item));
    assert.ok(sections.includes('Top processes') && sections.includes('Suggested exclusions'), JSON.stringify(sections));
    const processes = tree.findIndex((x) => x.depth === 0 && label(x.item) === 'Top processes');
    const first = tree[processes + 1]!;
    assert.equal(first.depth, 1);
    assert.equal(label(first.item), 'C:\\Program Files\\Contoso\\Backup\\backupagent.exe');
    assert.match(described(first.item), /24 events/);
    const report = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'bundle-lens-report' && d.uri.path.endsWith('Performance report.md'));
    assert.ok(report, 'the report is open');
  });
});
