import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileUri, LspClient } from '../support/lsp-client';
import { fixture } from '../support/paths';

const bundle = fixture('proxy-bundle');
const logPath = path.join(bundle, 'Cisco', 'AMP', '8.1.7.21417', 'sfc.exe.log');
const localPath = path.join(bundle, 'local.xml');

describe('a bundle folder analysed as one: diagnostics on every file', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ pullDiagnostics: true });
  });
  after(() => client.stop());

  const latest = (uri: string) => [...client.published].reverse().find((p) => p.uri === uri);

  it('publishes the findings of files nobody opened, each on its own file', async () => {
    const r: any = await client.conn.sendRequest('bundleLens/analyzeBundle', { uri: fileUri(bundle) });
    assert.equal(r.filesWithFindings, 2);
    assert.equal(r.findings.error, 2);
    await client.until(() => !!latest(fileUri(logPath)) && !!latest(fileUri(localPath)), 'diagnostics for both files');
    assert.deepEqual(
      latest(fileUri(logPath))!.diagnostics.map((d) => d.code),
      ['tetra.update-failed'],
    );
    const local = latest(fileUri(localPath))!.diagnostics;
    assert.deepEqual(
      local.map((d) => d.code),
      ['tetra.proxy-connect'],
    );
    // The log's failure and local.xml's lasterror are the same fact: each says so.
    assert.match(JSON.stringify(local[0]), /sfc\.exe\.log/);
    assert.equal(r.cached, false);
  });

  it('reuses the analysis of an unchanged bundle, for the Problems panel and for Diagnose alike', async () => {
    const r: any = await client.conn.sendRequest('bundleLens/analyzeBundle', { uri: fileUri(bundle) });
    assert.equal(r.cached, true);
    assert.equal(r.findings.error, 2);
    const d: any = await client.conn.sendRequest('bundleLens/diagnose', { path: bundle });
    assert.ok(d.findings.some((f: any) => f.id === 'tetra.update-failed'));
    // An explicit Analyze Bundle reads it again.
    const again: any = await client.conn.sendRequest('bundleLens/analyzeBundle', { uri: fileUri(bundle), fresh: true });
    assert.equal(again.cached, false);
    assert.equal(again.findings.error, 2);
  });

  it('an opened file shows its own diagnostics only; the bundle view returns when it closes', async () => {
    const uri = fileUri(localPath);
    const before = client.published.length;
    await client.open(uri, 'xml', readFileSync(localPath, 'utf8'));
    await client.until(() => client.published.slice(before).some((p) => p.uri === uri && p.diagnostics.length === 0), 'bundle diagnostics cleared on open');
    const own = await client.pullDiagnostics(uri);
    assert.ok(own.items.some((d: any) => d.code === 'tetra.proxy-connect'));
    const mark = client.published.length;
    await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await client.until(() => client.published.slice(mark).some((p) => p.uri === uri && p.diagnostics.length === 1), 'bundle diagnostics back on close');
  });

  it('refuses a folder that does not exist with a clear message, and keeps serving', async () => {
    await assert.rejects(client.conn.sendRequest('bundleLens/analyzeBundle', { uri: fileUri(path.join(bundle, 'missing')) }), /not|found|exist/i);
    assert.ok(await client.hover(fileUri(localPath), 0, 0) !== undefined);
  });
});

describe('an archive bundle analysed in place, published on the client\'s mounted URIs (publishAs)', () => {
  let client: LspClient;
  let fx: import('../support/make-archives').ArchiveFixtures;
  before(async () => {
    // (required here: this block is appended to a file whose imports stay as they were)
    const { makeArchives } = require('../support/make-archives') as typeof import('../support/make-archives');
    fx = await makeArchives();
    client = await LspClient.start({ pullDiagnostics: true });
  });
  after(async () => {
    await client.stop();
    const { rmSync } = require('node:fs') as typeof import('node:fs');
    rmSync(fx.dir, { recursive: true, force: true });
  });

  const base = 'bundle-lens-archive://0123456789ab/';
  const latest = (uri: string) => [...client.published].reverse().find((p) => p.uri === uri);

  it('publishes each finding on publishAs + its path inside the archive (a zip named .7z), segments encoded as VS Code does', async () => {
    const r: any = await client.conn.sendRequest('bundleLens/analyzeBundle', { uri: fileUri(fx.bundleZipNamed7z), publishAs: base });
    assert.equal(r.files, 5); // BUNDLE_FILES and the log stored with backslashes
    assert.ok(r.filesWithFindings >= 2);
    const log = `${base}Program%20Files/Cisco/AMP/8.1.7.21417/sfc.exe.log`;
    const local = `${base}Program%20Files/Cisco/AMP/local.xml`;
    await client.until(() => !!latest(log) && !!latest(local), 'diagnostics on the mounted URIs');
    assert.ok(latest(log)!.diagnostics.some((d) => d.code === 'tetra.update-failed'));
    assert.ok(latest(local)!.diagnostics.some((d) => d.code === 'tetra.proxy-connect'));
    // Nothing on file: URIs beside the archive.
    assert.ok(!client.published.some((p) => p.uri.startsWith('file:') && p.uri.includes('Program%20Files')));
  });

  it('a base without its final slash gets one; a real 7z works the same', async () => {
    const other = 'bundle-lens-archive://ba9876543210';
    await client.conn.sendRequest('bundleLens/analyzeBundle', { uri: fileUri(fx.real7z), publishAs: other });
    const log = `${other}/Program%20Files/Cisco/AMP/8.1.7.21417/sfc.exe.log`;
    await client.until(() => !!latest(log), 'diagnostics on the 7z mount');
    assert.ok(latest(log)!.diagnostics.some((d) => d.code === 'tetra.update-failed'));
  });

  it('an open document at a mounted URI is served like a file (its role by name, whatever the scheme)', async () => {
    const uri = `${base}Program%20Files/Cisco/AMP/local.xml`;
    await client.open(uri, 'xml', '<?xml version="1.0"?>\n<config><agent><tetra><lasterror>4294965193</lasterror></tetra></agent></config>\n');
    const own = await client.pullDiagnostics(uri);
    assert.ok(own.items.some((d: any) => d.code === 'tetra.proxy-connect'));
  });

  it('refuses a publishAs that is not a URI', async () => {
    await assert.rejects(client.conn.sendRequest('bundleLens/analyzeBundle', { uri: fileUri(fx.bundleZip), publishAs: 'no scheme here/' }), /publishAs/);
  });
});
