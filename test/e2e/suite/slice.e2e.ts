/**
 * A 60 MB connector log in a real VS Code: too large for VS Code to hand to extensions, so the
 * server reads it from disk. The slice command makes a small read-only document of its errors
 * (with colour, hover and diagnostics), each line mapped to the original. Waits are on signals
 * (diagnostics and tab events), never on fixed sleeps.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BundleLensApi } from '../../../src/extension/extension';
import type { OpenSliceResult, OriginalLine } from '../../../src/extension/slice';
import { generateLog, type GeneratedLog } from '../../support/generate-log';
import { codeOf, diagnosticsWhen, hoverText } from './signals';

const SIXTY_MB = 60 * 1024 * 1024;

/** Resolves once `check` returns a value, re-checked whenever `event` fires; rejects after `ms`. */
function when<T>(event: vscode.Event<unknown>, check: () => T | undefined, what: string, ms = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = (v: T) => {
      sub.dispose();
      clearTimeout(timer);
      resolve(v);
    };
    const sub = event(() => {
      const v = check();
      if (v !== undefined) done(v);
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const v = check();
    if (v !== undefined) done(v);
  });
}

describe('Log slices of a 60 MB log in a real VS Code', function () {
  this.timeout(180_000);
  let dir: string;
  let log: GeneratedLog;
  let fileUri: vscode.Uri;
  let original: string[];
  let slice: OpenSliceResult;
  let sliceDoc: vscode.TextDocument;

  before(async () => {
    const ext = vscode.extensions.getExtension<BundleLensApi>('bundle-lens.bundle-lens');
    assert.ok(ext);
    await (await ext.activate()).ready;
    // The web workbench (code-server) asks before opening files over 10 MB; desktop VS Code over 1 GB.
    await vscode.workspace.getConfiguration('workbench').update('editorLargeFileConfirmation', 1024, vscode.ConfigurationTarget.Global);
    dir = mkdtempSync(path.join(tmpdir(), 'bundle-lens-60mb-'));
    log = generateLog(path.join(dir, 'sfc.exe.log'), SIXTY_MB);
    fileUri = vscode.Uri.file(log.file);
    original = readFileSync(log.file, 'utf8').split('\n');
    assert.ok(log.bytes > 50 * 1024 * 1024, 'the generated log must be over VS Code’s 50 MB synchronisation limit');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('workbench').update('editorLargeFileConfirmation', undefined, vscode.ConfigurationTarget.Global);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the slice command works on a generated 60 MB log: errors with one entry of context, verbatim', async () => {
    const r = await vscode.commands.executeCommand<OpenSliceResult>('bundleLens.openLogSlice', fileUri, { errorsOnly: true, context: 1 });
    assert.ok(r, 'the command returned no result');
    slice = r;
    assert.equal(r.uri.scheme, 'bundle-lens-slice');
    assert.equal(r.truncated, false);
    // Per seed block: the ERROR line, the FALSE result and two AVStat lines with a non-zero code.
    assert.equal(r.matched, log.blocks.length * 4);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.uri.toString());
    assert.ok(doc, 'the slice document is not open');
    sliceDoc = doc;
    assert.equal(doc.languageId, 'secure-endpoint-log');
    assert.equal(doc.isDirty, false);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), r.uri.toString());
    assert.equal(doc.lineCount, r.lines.length);
    const text = doc.getText();
    assert.match(text, /ERROR: TetraUpdateInterface::update Update\nfailed with error -3000/);
    assert.match(text, /PerformTetraUpdate: bUpdated = FALSE, state:\n20, status: -3000/);
    // Every line is the original line its map names; separators are empty.
    for (let i = 0; i < doc.lineCount; i++) {
      const at = r.lines[i]!;
      assert.equal(doc.lineAt(i).text, at === -1 ? '' : original[at], `slice line ${i} ↔ original line ${at}`);
    }
    // Every block's failure lines are in, at the lines the generator wrote them.
    for (const start of log.blocks) {
      assert.ok(r.lines.includes(start + 2) && r.lines.includes(start + 3), `the ERROR entry at line ${start + 2}`);
      assert.ok(r.lines.includes(start + 11) && r.lines.includes(start + 12), `the PerformTetraUpdate entry at line ${start + 11}`);
    }
  });

  it('the slice has diagnostics whose related information points into the 60 MB file', async () => {
    const diags = await diagnosticsWhen(slice.uri, (d) => d.some((x) => codeOf(x) === 'tetra.update-failed'), 120_000);
    const d = diags.find((x) => codeOf(x) === 'tetra.update-failed')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /status -3000/);
    assert.match(sliceDoc.lineAt(d.range.start.line).text, /-3000/);
    const related = d.relatedInformation ?? [];
    assert.ok(related.length > 0, 'no related information');
    for (const ri of related) {
      assert.equal(ri.location.uri.toString(), fileUri.toString());
      assert.match(original[ri.location.range.start.line]!, /-3000/);
    }
  });

  it('hovers -3000 in the slice with the Bundle Lens decoding', async () => {
    const i = sliceDoc.getText().indexOf('failed with error -3000');
    assert.ok(i >= 0);
    const pos = sliceDoc.positionAt(i + 'failed with error '.length + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', slice.uri, pos);
    const text = hoverText(hovers);
    assert.match(text, /^\*\*-3000\*\* `Unknown_Error`/);
    assert.match(text, /Secure Endpoint TETRA update status/);
  });

  it('pushed the 60 MB file’s findings to Problems although VS Code never synchronised it', async () => {
    const diags = await diagnosticsWhen(fileUri, (d) => d.some((x) => codeOf(x) === 'tetra.update-failed'), 120_000);
    const d = diags.find((x) => codeOf(x) === 'tetra.update-failed')!;
    assert.match(d.message, new RegExp(`status -3000 in ${log.blocks.length} attempts`));
    assert.match(original[d.range.start.line]!, /-3000/);
    assert.ok(!vscode.workspace.textDocuments.some((t) => t.uri.toString() === fileUri.toString()), 'the 60 MB file was synchronised after all');
  });

  it('goes to the original line from the slice', async () => {
    const editor = await vscode.window.showTextDocument(sliceDoc, { preview: false });
    const i = sliceDoc.getText().lastIndexOf('failed with error -3000');
    const pos = sliceDoc.positionAt(i);
    editor.selection = new vscode.Selection(pos, pos);
    const expected = slice.lines[pos.line]!;
    assert.equal(original[expected], 'failed with error -3000');
    const r = await vscode.commands.executeCommand<OriginalLine>('bundleLens.goToOriginalLine');
    assert.ok(r, 'the command returned no result');
    assert.equal(r.uri.toString(), fileUri.toString());
    assert.equal(r.line, expected);
    // The workbench shows the original file in the active tab.
    await when(
      vscode.window.tabGroups.onDidChangeTabs,
      () => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputText && input.uri.toString() === fileUri.toString() ? true : undefined;
      },
      'the original log in the active tab',
    );
    // A file over 50 MB is shown by the workbench but never handed to extensions, so there is no
    // TextEditor whose selection could be read: the line is what the command asked the workbench
    // to select (checked above). Where VS Code does synchronise it, check the selection too.
    const synced = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === fileUri.toString());
    if (synced) assert.equal(synced.selection.active.line, expected);
    else assert.ok(!vscode.workspace.textDocuments.some((t) => t.uri.toString() === fileUri.toString()));
  });
});
