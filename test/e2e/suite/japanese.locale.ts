/**
 * Bundle Lens in VS Code with the display language set to Japanese (`--locale=ja` and a stand-in
 * language pack, see ../language-pack.ts): the extension's own words (manifest, trees), the
 * language server's (diagnostics, hover, reports) and what VS Code hands each of them are
 * Japanese. Expected words are read from the shipped translations, never typed here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BundleLensApi } from '../../../src/extension/extension';
import type { DiagnoseResult } from '../../../src/shared/protocol';
import { bundleLens, diagnosticsWhen, hoverText, positionOf } from './signals';

const workspace = process.env['BUNDLE_LENS_E2E_WORKSPACE'] ?? vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('Bundle Lens in Japanese', () => {
  let api: BundleLensApi;
  let root: string;
  let ja: Record<string, string>;
  let nls: Record<string, string>;

  before(async () => {
    api = await bundleLens();
    root = vscode.extensions.getExtension('bundle-lens.bundle-lens')!.extensionPath;
    ja = JSON.parse(readFileSync(path.join(root, 'l10n', 'bundle.l10n.ja.json'), 'utf8'));
    nls = JSON.parse(readFileSync(path.join(root, 'package.nls.ja.json'), 'utf8'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs in VS Code with the Japanese display language, and loads the Japanese bundle', () => {
    assert.equal(vscode.env.language, 'ja');
    assert.ok(vscode.l10n.uri?.path.endsWith('/l10n/bundle.l10n.ja.json'), String(vscode.l10n.uri));
    assert.equal(vscode.l10n.t('Open Evidence'), ja['Open Evidence']);
  });

  it('shows the manifest in Japanese (package.nls.ja.json)', () => {
    const manifest = vscode.extensions.getExtension('bundle-lens.bundle-lens')!.packageJSON;
    const command = manifest.contributes.commands.find((c: { command: string }) => c.command === 'bundleLens.diagnoseTetra');
    const english = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
    const key = Object.keys(english).find((k) => english[k] === 'Diagnose TETRA Failure');
    assert.ok(key, 'the command title key');
    // The extension host's manifest keeps both: { original, value }.
    const title = typeof command.title === 'string' ? command.title : command.title.value;
    assert.equal(title, nls[key]);
    assert.match(title, JAPANESE);
    // The walkthrough's pages are the Japanese ones.
    const [walkthrough] = manifest.contributes.walkthroughs;
    for (const step of walkthrough.steps) assert.match(String(step.media.markdown), /^media\/walkthrough\/ja\//, JSON.stringify(step.media));
  });

  it('publishes a Japanese diagnostic and hovers a code in Japanese', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspace, 'seed-001', 'sfc.exe.log')));
    await vscode.window.showTextDocument(doc);
    const diagnostics = await diagnosticsWhen(doc.uri, (d) => d.length > 0);
    for (const d of diagnostics) assert.match(d.message, JAPANESE, d.message);
    assert.ok(
      diagnostics.some((d) => d.message.includes(ja['TETRA update: unknown error.']!)),
      JSON.stringify(diagnostics.map((d) => d.message)),
    );

    const at = positionOf(doc, 'failed with error -3000', 'failed with error '.length + 2);
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at));
    assert.ok(text.includes(ja['TETRA update: unknown error.']!), text);
    assert.ok(text.includes(ja['Secure Endpoint TETRA update status']!), text);
    assert.match(text, /Unknown_Error/);
  });

  it('fills the trees and the TETRA report in Japanese', async () => {
    const bundle = vscode.Uri.file(path.join(workspace, 'proxy-bundle'));
    await vscode.commands.executeCommand('bundleLens.analyzeBundle', bundle);
    const groups = ((await api.views.findings.getChildren()) ?? []) as unknown[];
    const labels = await Promise.all(groups.map(async (g) => String((await api.views.findings.getTreeItem(g as never)).label)));
    assert.ok(labels.includes(ja['Errors ({0})']!.replace('{0}', '2')), JSON.stringify(labels));

    const result = await vscode.commands.executeCommand<DiagnoseResult>('bundleLens.diagnoseTetra', bundle);
    assert.equal(result.tetra.verdict, 'proxy-connect');
    assert.match(result.tetra.title, JAPANESE);
    assert.ok(result.markdown.startsWith(`# ${ja['Bundle Lens — TETRA diagnosis']}\n`), result.markdown.slice(0, 200));
  });
});
