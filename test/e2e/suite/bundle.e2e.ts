/**
 * Support-bundle archives mounted read-only in a real VS Code (issue 7, parts 1 and 4): the
 * `bundle-lens-archive:` file system, Open Support Bundle…, and the bundle's diagnostics on files
 * inside the archive, opened or not. The archives are built at test time in a temporary folder.
 *
 * Open Support Bundle… adds the mounted archive as a workspace folder. In this window (one folder)
 * that turns the window into a multi-root workspace, which VS Code does by entering an untitled
 * workspace: measured in code-server 1.139 under the test driver, `updateWorkspaceFolders`
 * returns true but the folders never change (no `onDidChangeWorkspaceFolders` in 15 s), and
 * desktop VS Code may restart the extension host. The tests therefore pass
 * `{ addToWorkspace: false }`: everything else (mount, analysis, the folder URI returned) is the
 * same, and the mounted folder is reached through `vscode.workspace.fs` and `openTextDocument`,
 * as the Explorer and the editors would.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { BundleLensApi } from '../../../src/extension/extension';
import { BUNDLE_FILES, makeArchives, type ArchiveFixtures } from '../../support/make-archives';
import { codeOf, diagnosticsWhen } from './signals';

const SCHEME = 'bundle-lens-archive';

const child = (folder: vscode.Uri, rel: string) => vscode.Uri.joinPath(folder, ...rel.split('/'));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('Support bundle archives mounted read-only (bundle-lens-archive:)', () => {
  let fx: ArchiveFixtures;
  let zipAs7z: vscode.Uri;
  let real7z: vscode.Uri;
  const foldersBefore = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString());

  before(async () => {
    const ext = vscode.extensions.getExtension<BundleLensApi>('bundle-lens.bundle-lens');
    assert.ok(ext, 'extension bundle-lens.bundle-lens is not loaded');
    await (await ext.activate()).ready;
    fx = await makeArchives();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Nothing was added; should a folder have been, it is removed so the other suites see the same window.
    const now = vscode.workspace.workspaceFolders ?? [];
    const added = now.findIndex((f) => !foldersBefore.includes(f.uri.toString()));
    if (added >= 0) vscode.workspace.updateWorkspaceFolders(added, now.length - added);
    rmSync(fx.dir, { recursive: true, force: true });
  });

  it('Open Support Bundle… mounts a zip named .7z (format by magic bytes) and returns the folder URI', async () => {
    zipAs7z = (await vscode.commands.executeCommand<vscode.Uri>('bundleLens.openBundle', vscode.Uri.file(fx.bundleZipNamed7z), { addToWorkspace: false }))!;
    assert.ok(zipAs7z, 'no folder URI returned');
    assert.equal(zipAs7z.scheme, SCHEME);
    assert.match(zipAs7z.authority, /^[0-9a-f]{12}$/);
    assert.equal(zipAs7z.path, '/');
    // Stable: the same archive gets the same folder.
    const again = await vscode.commands.executeCommand<vscode.Uri>('bundleLens.openBundle', vscode.Uri.file(fx.bundleZipNamed7z), { addToWorkspace: false });
    assert.equal(again!.toString(), zipAs7z.toString());
    assert.deepEqual(
      (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()),
      foldersBefore,
      'addToWorkspace: false adds no folder',
    );
  });

  it('lists the bundle: directories implied by the entries, files with their sizes', async () => {
    const root = await vscode.workspace.fs.readDirectory(zipAs7z);
    assert.deepEqual(root.sort(), [
      ['Program Files', vscode.FileType.Directory],
      ['diag', vscode.FileType.Directory],
    ]);
    const amp = await vscode.workspace.fs.readDirectory(child(zipAs7z, 'Program Files/Cisco/AMP'));
    assert.deepEqual(amp.map(([n]) => n).sort(), ['8.1.7.21417', 'local.xml', 'policy.xml']);
    const st = await vscode.workspace.fs.stat(child(zipAs7z, 'Program Files/Cisco/AMP/local.xml'));
    assert.equal(st.type, vscode.FileType.File);
    assert.equal(st.size, Buffer.byteLength(BUNDLE_FILES['Program Files/Cisco/AMP/local.xml']!));
    // The log stored with backslashes lands beside the other one.
    const version = await vscode.workspace.fs.readDirectory(child(zipAs7z, 'Program Files/Cisco/AMP/8.1.7.21417'));
    assert.deepEqual(version.map(([n]) => n).sort(), ['sfc.exe.log', 'sfc.exe.log.1']);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(child(zipAs7z, 'no/such/file'))), /EntryNotFound|FileNotFound/);
  });

  it('a file nobody opened has the bundle analysis\'s diagnostics (sfc.exe.log inside the archive)', async () => {
    const log = child(zipAs7z, 'Program Files/Cisco/AMP/8.1.7.21417/sfc.exe.log');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === log.toString()), 'the log must not be open');
    const diags = await diagnosticsWhen(log, (d) => d.some((x) => codeOf(x) === 'tetra.update-failed'));
    assert.ok(diags.some((x) => /2103/.test(x.message)), JSON.stringify(diags.map((d) => d.message)));
  });

  it('local.xml opened from inside the bundle is served (document selector and roles work on the scheme)', async () => {
    const uri = child(zipAs7z, 'Program Files/Cisco/AMP/local.xml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.uri.scheme, SCHEME);
    assert.equal(doc.languageId, 'xml');
    assert.equal(doc.getText(), BUNDLE_FILES['Program Files/Cisco/AMP/local.xml']);
    const diags = await diagnosticsWhen(doc.uri, (d) => d.some((x) => codeOf(x) === 'tetra.proxy-connect'));
    const d = diags.find((x) => codeOf(x) === 'tetra.proxy-connect')!;
    assert.equal(doc.getText(d.range), '4294965193');
  });

  it('Diagnose TETRA Failure on a file inside the mounted archive diagnoses the whole archive', async () => {
    const result = await vscode.commands.executeCommand<any>('bundleLens.diagnoseTetra', child(zipAs7z, 'Program Files/Cisco/AMP/local.xml'));
    assert.ok(result, 'a result');
    const ids = result.findings.map((f: any) => f.id);
    // Both the log's failure and local.xml's lasterror: the analysis covered the archive, not one file.
    assert.ok(ids.includes('tetra.update-failed') && ids.includes('tetra.proxy-connect'), JSON.stringify(ids));
  });

  it('refuses every write: the bundle is evidence', async () => {
    const uri = child(zipAs7z, 'Program Files/Cisco/AMP/local.xml');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, Buffer.from('changed'))));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(child(zipAs7z, 'new.txt'), Buffer.from('new'))));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.delete(uri)));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.rename(uri, child(zipAs7z, 'moved.xml'))));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.createDirectory(child(zipAs7z, 'made'))));
    assert.equal(text(await vscode.workspace.fs.readFile(uri)), BUNDLE_FILES['Program Files/Cisco/AMP/local.xml']);
    // And the archive on disk is the same bytes.
    assert.deepEqual(readFileSync(fx.bundleZipNamed7z), readFileSync(fx.bundleZip));
  });

  it('mounts a real 7z; the zip inside it is browsable as a folder', async () => {
    real7z = (await vscode.commands.executeCommand<vscode.Uri>('bundleLens.openBundle', vscode.Uri.file(fx.real7z), { addToWorkspace: false }))!;
    assert.equal(real7z.scheme, SCHEME);
    assert.notEqual(real7z.authority, zipAs7z.authority);
    const root = new Map(await vscode.workspace.fs.readDirectory(real7z));
    assert.equal(root.get('Program Files'), vscode.FileType.Directory);
    assert.equal(root.get('inner.zip'), vscode.FileType.Directory, 'a nested archive is a folder');
    const inner = new Map(await vscode.workspace.fs.readDirectory(child(real7z, 'inner.zip')));
    assert.equal(inner.get('Program Files'), vscode.FileType.Directory);
    const nestedLog = child(real7z, 'inner.zip/Program Files/Cisco/AMP/8.1.7.21417/sfc.exe.log');
    assert.equal(text(await vscode.workspace.fs.readFile(nestedLog)), BUNDLE_FILES['Program Files/Cisco/AMP/8.1.7.21417/sfc.exe.log']);
    const log = child(real7z, 'Program Files/Cisco/AMP/8.1.7.21417/sfc.exe.log');
    await diagnosticsWhen(log, (d) => d.some((x) => codeOf(x) === 'tetra.update-failed'));
  });

  it('an entry that is not there, or a broken archive, is a clear file-system error', async () => {
    const notArchive = await vscode.commands.executeCommand<vscode.Uri>('bundleLens.openBundle', vscode.Uri.file(fx.notArchive), { addToWorkspace: false });
    // A text named .zip is not mounted: it opens as the file it is.
    assert.equal(notArchive!.scheme, 'file');
    const truncated = await vscode.commands.executeCommand<vscode.Uri>('bundleLens.openBundle', vscode.Uri.file(fx.truncated7z), { addToWorkspace: false });
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readDirectory(truncated!)), /corrupt|cannot read|damaged|truncated/i);
  });
});
