import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspClient } from '../support/lsp-client';
import { fixture } from '../support/paths';

describe('bundleLens/tune: the Performance tree\'s data through the real server', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ pullDiagnostics: false });
  });
  after(() => client.stop());

  it('lists the top process first, the suggestions, and the policy\'s exclusions with their lines', async () => {
    const view: any = await client.conn.sendRequest('bundleLens/tune', { path: fixture('tune-bundle'), top: 5 });
    assert.equal(view.status, 'ok');
    assert.equal(view.sets.length, 1);
    const sections = Object.fromEntries(view.sets[0].sections.map((s: any) => [s.id, s]));
    assert.equal(sections.processes.items[0].label, 'C:\\Program Files\\Contoso\\Backup\\backupagent.exe');
    assert.match(sections.processes.items[0].description, /^24 events · 51\.1%/);
    assert.ok(sections.suggestions.items.some((i: any) => i.label === 'C:\\Program Files\\Contoso\\Backup\\backupagent.exe'));
    // svchost is heavy but never suggested.
    assert.ok(!sections.suggestions.items.some((i: any) => /svchost/i.test(i.label)));
    const exclusion = sections.exclusions.items.find((i: any) => /dbserver/.test(i.label));
    assert.equal(exclusion.file, 'policy.xml');
    assert.equal(exclusion.line, 9);
    assert.match(exclusion.description, /matched 5 file events/);
    assert.match(view.markdown, /Top processes/);
  });

  it('a log without debug lines: says so, with the commands to collect one', async () => {
    const view: any = await client.conn.sendRequest('bundleLens/tune', { path: fixture('case-lasterror') });
    assert.equal(view.status, 'not-debug');
    assert.match(view.statusText, /debug/i);
    assert.ok(view.collect.some((c: any) => /sfc\.exe['"]? -l start/.test(c.copy)), JSON.stringify(view.collect));
  });

  it('a time window that is not a time is a clear error, and the server keeps serving', async () => {
    await assert.rejects(client.conn.sendRequest('bundleLens/tune', { path: fixture('tune-bundle'), from: 'yesterday' }), /not a time/);
    const view: any = await client.conn.sendRequest('bundleLens/tune', { path: fixture('tune-bundle'), from: 'Mar 03 10:00:00', to: 'Mar 03 10:01:00' });
    assert.equal(view.status, 'ok');
    assert.match(view.sets[0].description, /^\d+ file events/);
  });
});
