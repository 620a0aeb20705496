/**
 * Runs inside the real VS Code extension host (code-server 1.139, or desktop VS Code).
 * Every wait is on a signal: the server's ready notification, diagnostics-changed events.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BundleLensApi } from '../../../src/extension/extension';
import type { DiagnoseResult } from '../../../src/shared/protocol';
import { bundleLens, codeOf, diagnosticsWhen, hoverText, positionOf } from './signals';

const workspace = process.env['BUNDLE_LENS_E2E_WORKSPACE'] ?? vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const seedLog = vscode.Uri.file(path.join(workspace, 'seed-001', 'sfc.exe.log'));
const localXml = vscode.Uri.file(path.join(workspace, 'proxy-bundle', 'local.xml'));
const curlOutput = vscode.Uri.file(path.join(workspace, 'text', 'curl-revocation.txt'));
const proxyLog = vscode.Uri.file(path.join(workspace, 'proxy-bundle', 'Cisco', 'AMP', '8.1.7.21417', 'sfc.exe.log'));
const debugLog = vscode.Uri.file(path.join(workspace, 'logs', 'debug-events.log'));

describe('Bundle Lens in a real VS Code', () => {
  let api: BundleLensApi;

  before(async () => {
    api = await bundleLens();
  });

  it('opens sfc.exe.log in the secure-endpoint-log language', async () => {
    const doc = await vscode.workspace.openTextDocument(seedLog);
    assert.equal(doc.languageId, 'secure-endpoint-log');
  });

  it('decodes 4294964296 on hover (executeHoverProvider)', async () => {
    const doc = await vscode.workspace.openTextDocument(seedLog);
    await vscode.window.showTextDocument(doc);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, '4294964296', 3));
    const text = hoverText(hovers);
    assert.match(text, /\| 4294964296 \| -3000 \| 0xFFFFF448 \|/);
    assert.match(text, /Unknown_Error/);
  });

  it('shows tetra.update-failed in the Problems for the seed log', async () => {
    const doc = await vscode.workspace.openTextDocument(seedLog);
    await vscode.window.showTextDocument(doc);
    const diags = await diagnosticsWhen(doc.uri, (d) => d.some((x) => codeOf(x) === 'tetra.update-failed'));
    const d = diags.find((x) => codeOf(x) === 'tetra.update-failed')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, 12);
    assert.match(d.message, /status -3000/);
  });

  it('shows every rule of a debug log: PublishEvent failures, isolation still active, revocation offline', async () => {
    // Named *.log, so VS Code opens it as `log`; the extension recognises the connector's line shape.
    const switched = new Promise<vscode.TextDocument>((resolve) => {
      const sub = vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.uri.toString() === debugLog.toString() && d.languageId === 'secure-endpoint-log') {
          sub.dispose();
          resolve(d);
        }
      });
    });
    const opened = await vscode.workspace.openTextDocument(debugLog);
    let doc = opened.languageId === 'secure-endpoint-log' ? opened : await switched;
    doc = (await vscode.window.showTextDocument(doc)).document;
    const diags = await diagnosticsWhen(doc.uri, (d) => d.length >= 4);
    assert.deepEqual(
      diags.map((d) => codeOf(d)).sort(),
      ['isolation.active', 'isolation.unlock-limit-reached', 'policy.update-failed', 'tls.revocation-offline'],
    );
    const rev = diags.find((d) => codeOf(d) === 'tls.revocation-offline')!;
    assert.equal(doc.getText(rev.range), '0x80092013');
  });

  it('outlines the proxy log by hour with its TETRA update attempts, and folds them', async () => {
    const doc = await vscode.workspace.openTextDocument(proxyLog);
    await vscode.window.showTextDocument(doc);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.ok(symbols && symbols.length > 0, 'no outline');
    const attempts = symbols.flatMap((s) => s.children).map((c) => c.name);
    assert.deepEqual(attempts, [
      'TETRA update 2028-12-31 22:10:06: failed, status -2103',
      'TETRA update 2029-01-01 00:10:06: failed, status -2103',
      'TETRA update 2029-01-01 04:10:07: failed, status -2103',
      'TETRA update 2029-01-01 08:10:09: updated to version 90611',
    ]);
    assert.ok(symbols.some((s) => /^No entries for 4 h 0 min$/.test(s.name)));
    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', doc.uri);
    assert.ok(folds.some((f) => f.start === 1 && f.end === 4), `folds: ${JSON.stringify(folds)}`);
  });

  it('offers a quick fix that copies the matching check to the clipboard', async () => {
    const doc = await vscode.workspace.openTextDocument(proxyLog);
    const diags = await diagnosticsWhen(doc.uri, (d) => d.some((x) => codeOf(x) === 'tetra.update-failed'));
    const d = diags.find((x) => codeOf(x) === 'tetra.update-failed')!;
    assert.match(d.message, /from 2028-12-31 22:10:06 to 2029-01-01 04:10:07/);
    assert.equal(d.relatedInformation?.length, 2);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const copy = actions.find((a) => a.command?.command === 'bundleLens.copyText');
    assert.ok(copy?.command, `no copy action among ${actions.map((a) => a.title).join(', ')}`);
    await vscode.commands.executeCommand(copy.command.command, ...(copy.command.arguments ?? []));
    assert.match(await vscode.env.clipboard.readText(), /lasterror/);
  });

  it('Analyze Bundle puts the findings of files nobody opened in the Problems panel', async () => {
    const bundle = vscode.Uri.file(path.join(workspace, 'proxy-bundle'));
    const result = await vscode.commands.executeCommand<{ filesWithFindings: number }>('bundleLens.analyzeBundle', bundle);
    assert.ok(result && result.filesWithFindings >= 2, JSON.stringify(result));
    const local = vscode.Uri.file(path.join(workspace, 'proxy-bundle', 'local.xml'));
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === local.toString()), 'local.xml must not be open for this test');
    const diags = await diagnosticsWhen(local, (d) => d.some((x) => codeOf(x) === 'tetra.proxy-connect'));
    assert.equal(diags.find((x) => codeOf(x) === 'tetra.proxy-connect')?.severity, vscode.DiagnosticSeverity.Error);
  });

  it('an analysed bundle is analysed again when its files change', async () => {
    const folder = vscode.Uri.file(path.join(workspace, 'watched-bundle'));
    await vscode.workspace.fs.createDirectory(folder);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'notes.txt'), Buffer.from('case notes\n'));
    await vscode.commands.executeCommand('bundleLens.analyzeBundle', folder);
    const curl = vscode.Uri.joinPath(folder, 'curl.txt');
    const text =
      '* schannel: next InitializeSecurityContext failed: Unknown error (0x80092013) - The revocation function was unable to check revocation because the revocation server was offline.\n' +
      'curl: (35) schannel: next InitializeSecurityContext failed: Unknown error (0x80092013) - The revocation function was unable to check revocation because the revocation server was offline.\n';
    await vscode.workspace.fs.writeFile(curl, Buffer.from(text));
    // No command: the file watcher notices the new output and the bundle is analysed again.
    const diags = await diagnosticsWhen(curl, (d) => d.some((x) => codeOf(x) === 'tls.revocation-offline'), 45_000);
    assert.equal(diags.find((x) => codeOf(x) === 'tls.revocation-offline')?.severity, vscode.DiagnosticSeverity.Error);
  });

  it('decodes lasterror in local.xml (an xml document, still xml)', async () => {
    const doc = await vscode.workspace.openTextDocument(localXml);
    assert.equal(doc.languageId, 'xml');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, '4294965193', 2));
    assert.match(hoverText(hovers), /could not connect to the proxy/);
  });

  it('decodes -3000 on the wrapped log line as a TETRA status', async () => {
    const doc = await vscode.workspace.openTextDocument(seedLog);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'failed with error -3000', 'failed with error '.length + 2));
    const text = hoverText(hovers);
    assert.match(text, /^\*\*-3000\*\* `Unknown_Error`/);
    assert.match(text, /\| 4294964296 \| -3000 \| 0xFFFFF448 \|/);
  });

  it('decodes 0x80092013 in a pasted curl output (plain text) as CRYPT_E_REVOCATION_OFFLINE', async () => {
    const doc = await vscode.workspace.openTextDocument(curlOutput);
    assert.equal(doc.languageId, 'plaintext');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, '0x80092013', 4));
    const text = hoverText(hovers);
    assert.match(text, /CRYPT_E_REVOCATION_OFFLINE/);
    assert.match(text, /Seen 2 times in this file/);
  });

  it('runs Diagnose TETRA Failure on an open log (the editor title menu) and opens the report', async () => {
    const doc = await vscode.workspace.openTextDocument(seedLog);
    await vscode.window.showTextDocument(doc);
    // Given the log itself: its open text is diagnosed (without it, a log of the bundle the trees
    // show stands for the whole bundle).
    const result = await vscode.commands.executeCommand<DiagnoseResult>('bundleLens.diagnoseTetra', doc.uri);
    assert.ok(result, 'the command returned no result');
    assert.equal(result.findings[0]?.id, 'tetra.update-failed');
    assert.equal(result.findings[0]?.kind, 'tetra.unknown-error');
    // The report panel shows this result; the full Markdown report is a read-only document.
    const shown = api.reports.shown('tetra');
    assert.ok(shown, 'no report panel');
    assert.equal(shown.diagnosis.verdict, result.tetra.verdict);
    const report = await vscode.workspace.openTextDocument(shown.markdown);
    assert.equal(report.uri.scheme, 'bundle-lens-report');
    assert.equal(report.languageId, 'markdown');
    assert.equal(report.isDirty, false);
    assert.match(report.getText(), /tetra\.update-failed/);
  });

  it('runs Diagnose TETRA Failure on the workspace folder when no editor is active and no bundle is shown', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    api.views.model.set(undefined);
    const result = await vscode.commands.executeCommand<DiagnoseResult>('bundleLens.diagnoseTetra');
    assert.ok(result, 'the command returned no result');
    const proxy = result.findings.find((f) => f.kind === 'tetra.proxy-connect');
    assert.equal(proxy?.file, 'proxy-bundle/Cisco/AMP/8.1.7.21417/sfc.exe.log');
    assert.equal(proxy?.count, 3);
  });
});

