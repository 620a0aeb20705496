/**
 * local.xml and policy.xml in a real VS Code (code-server 1.139, or desktop VS Code): diagnostics
 * with their ids, hovers through `vscode.executeHoverProvider`, the outline through
 * `vscode.executeDocumentSymbolProvider`, a quick fix. Every wait is on a signal.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BundleLensApi } from '../../../src/extension/extension';
import { codeOf, diagnosticsWhen, hoverText, positionOf } from './signals';

const workspace = process.env['BUNDLE_LENS_E2E_WORKSPACE'] ?? vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const policyXml = vscode.Uri.file(path.join(workspace, 'xml', 'policy.xml'));
const localXml = vscode.Uri.file(path.join(workspace, 'xml-server', 'local.xml'));
const PASSWORD = 'Pr0xy-S3cret-Example!';

async function hoverAt(doc: vscode.TextDocument, needle: string, offset: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, needle, offset));
  return hoverText(hovers);
}

function flat(symbols: vscode.DocumentSymbol[]): vscode.DocumentSymbol[] {
  return symbols.flatMap((s) => [s, ...flat(s.children ?? [])]);
}

describe('local.xml and policy.xml in a real VS Code', () => {
  before(async () => {
    const ext = vscode.extensions.getExtension<BundleLensApi>('bundle-lens.bundle-lens');
    assert.ok(ext, 'extension bundle-lens.bundle-lens is not loaded');
    const api = await ext.activate();
    await api.ready;
  });

  it('policy.xml: the rules\' findings in the Problems, each at its value', async () => {
    const doc = await vscode.workspace.openTextDocument(policyXml);
    assert.equal(doc.languageId, 'xml');
    await vscode.window.showTextDocument(doc);
    const diags = await diagnosticsWhen(doc.uri, (d) => d.length >= 3);
    assert.deepEqual(
      diags.map((d) => codeOf(d)),
      ['log.debug-disabled', 'policy.crl-check', 'exclusions.wildcard-leading'],
    );
    assert.ok(diags.every((d) => d.source === 'Bundle Lens'));
    const wildcard = diags.find((d) => codeOf(d) === 'exclusions.wildcard-leading')!;
    assert.equal(wildcard.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(doc.getText(wildcard.range), '1|6|0|0|*\\AppData\\Local\\Temp\\*.tmp');
    const debug = diags.find((d) => codeOf(d) === 'log.debug-disabled')!;
    assert.equal(doc.getText(debug.range), '0');
    assert.match(debug.message, /sfc\.exe -l start/);
    for (const d of diags) assert.ok(!d.message.includes(PASSWORD));
  });

  it('policy.xml: hovers decode the log level, a process exclusion mask, a host; the password only as "set"', async () => {
    const doc = await vscode.workspace.openTextDocument(policyXml);
    const level = await hoverAt(doc, '<level>0</level>', '<level>'.length);
    assert.match(level, /Connector log level/);
    assert.match(level, /`0` = not debug logging \(debug is 549755813887\)/);
    assert.match(level, /Next step: Run sfc\.exe -l start/);
    assert.match(await hoverAt(doc, '|12|', 2), /mask 12 = SPP \(System Process Protection\) \+ child processes/);
    assert.match(await hoverAt(doc, 'tetra-defs.amp.cisco.com', 3), /`tetra-defs\.amp\.cisco\.com`: a Cisco server/);
    for (const offset of [0, 6, PASSWORD.length]) {
      const text = await hoverAt(doc, PASSWORD, offset);
      assert.match(text, /set \(21 characters\)/);
      assert.ok(!text.includes(PASSWORD) && !text.includes('S3cret'), 'the password is in a hover');
    }
  });

  it('policy.xml: the outline holds the policy\'s sections with readable names and key values', async () => {
    const doc = await vscode.workspace.openTextDocument(policyXml);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.ok(symbols && symbols.length > 0, 'no outline');
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['Signature (xmldsig)', 'Cloud (janus)', 'Agent', 'Product updater', 'Proxy', 'Connection', 'User interface', 'Exclusions'],
    );
    const all = flat(symbols);
    assert.equal(all.find((s) => s.name === 'Proxy')?.detail, 'proxy.example.test:8080, with credentials');
    assert.equal(all.find((s) => s.name === 'Policy')?.detail, 'Protect, serial 412');
    assert.equal(all.find((s) => s.name === 'password')?.detail, 'set (21 characters)');
    assert.ok(!JSON.stringify(all.map((s) => [s.name, s.detail])).includes(PASSWORD));
  });

  it('local.xml: lasterror 4294965187 is tetra.proxy-download, decoded on hover, with the lasterror check to copy', async () => {
    const doc = await vscode.workspace.openTextDocument(localXml);
    assert.equal(doc.languageId, 'xml');
    await vscode.window.showTextDocument(doc);
    const diags = await diagnosticsWhen(doc.uri, (d) => d.length >= 1);
    assert.deepEqual(
      diags.map((d) => codeOf(d)),
      ['tetra.proxy-download'],
    );
    const d = diags[0]!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(doc.getText(d.range), '4294965187');
    assert.match(d.message, /status -2109/);
    // On the number: its code decoding first, then the setting.
    const onValue = await hoverAt(doc, '4294965187', 3);
    assert.match(onValue, /^\*\*-2109\*\* — TETRA update: connected to the proxy, but the download failed/);
    assert.match(onValue, /\| 4294965187 \| -2109 \| 0xFFFFF7C3 \|/);
    assert.match(onValue, /Result of the last TETRA definition update/);
    // On the name: the setting first.
    assert.match(await hoverAt(doc, '<lasterror>', 3), /^\*\*Result of the last TETRA definition update/);
    assert.match(await hoverAt(doc, '<lastsuccesstime>1684300000', '<lastsuccesstime>'.length + 2), /`1684300000` = 2023-05-17 05:06:40 UTC/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const copy = actions.find((a) => a.command?.command === 'bundleLens.copyText');
    assert.ok(copy?.command, `no copy action among ${actions.map((a) => a.title).join(', ')}`);
    await vscode.commands.executeCommand(copy.command.command, ...(copy.command.arguments ?? []));
    assert.match(await vscode.env.clipboard.readText(), /\/\/tetra\/lasterror/);
  });

  it('local.xml: the outline holds the agent, its engines and the organisation', async () => {
    const doc = await vscode.workspace.openTextDocument(localXml);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['Agent', 'Cloud (janus)'],
    );
    const all = flat(symbols);
    assert.equal(all.find((s) => s.name === 'definitions')?.detail, 'TETRA definitions version 90588');
    assert.equal(all.find((s) => s.name === 'lasterror')?.detail, '4294965187 = status -2109');
  });
});
