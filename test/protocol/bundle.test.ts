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
