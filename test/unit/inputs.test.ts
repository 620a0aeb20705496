import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { makeArchives, zipBytes, type ArchiveFixtures } from '../support/make-archives';
import { analyzePath, InputError, isConnectorLogName, sniff } from '../../src/core/bundle/inputs';
import { fixture } from '../support/paths';

describe('sniff', () => {
  it('trusts magic bytes, not names', () => {
    assert.equal(sniff(Buffer.from('PK\x03\x04rest', 'latin1')), 'zip');
    assert.equal(sniff(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4])), '7z');
    assert.equal(sniff(Buffer.from('(978223515, +0 ms) Aug 04 07:30:23 [11944]: x\n')), 'connector-log');
    assert.equal(sniff(Buffer.from('Name\r\n----\r\n')), 'text');
    assert.equal(sniff(Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 6])), 'binary');
  });

  it('recognises a UTF-16 connector log', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('(1, +0 ms) Aug 04 07:30:23 [2]: x\r\n', 'utf16le')]);
    assert.equal(sniff(bytes), 'connector-log');
  });
});

describe('isConnectorLogName', () => {
  it('accepts the log and its rotated names, not System File Checker logs', () => {
    for (const n of ['sfc.exe.log', 'sfc.exe.log.1', 'sfc.exe.1.log', 'sfc.exe.log.old', 'SFC.EXE.LOG']) assert.ok(isConnectorLogName(n), n);
    for (const n of ['CBS.log', 'sfc.log', 'sfc.exe.logx', 'notsfc.exe.log']) assert.ok(!isConnectorLogName(n), n);
  });
});

describe('analyzePath', () => {
  it('walks a bundle folder and analyses the connector log found in a version folder', async () => {
    const r = await analyzePath(fixture('proxy-bundle'));
    assert.equal(r.kind, 'folder');
    const log = r.files.find((f) => f.kind === 'connector-log');
    assert.equal(log?.file, 'Cisco/AMP/8.1.7.21417/sfc.exe.log');
    assert.equal(r.findings[0]?.kind, 'tetra.proxy-connect');
  });

  it('finds a connector log by content under another name', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-'));
    writeFileSync(path.join(dir, 'pasted.txt'), '(7, +0 ms) Feb 10 10:00:00 [3]: PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -2109\n');
    const r = await analyzePath(dir);
    assert.equal(r.findings.find((f) => f.id === 'tetra.update-failed')?.kind, 'tetra.proxy-download');
  });

  it('reads an empty archive as an empty bundle, and refuses missing paths with a typed error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-'));
    const zip = path.join(dir, 'bundle.7z');
    writeFileSync(zip, Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'latin1'));
    const empty = await analyzePath(zip);
    assert.equal(empty.kind, 'zip');
    assert.deepEqual(empty.files, []);
    await assert.rejects(analyzePath(path.join(dir, 'nope')), (e: unknown) => e instanceof InputError && e.code === 'not-found');
  });
});

describe('analyzePath: archives read in place, never extracted', () => {
  let fx: ArchiveFixtures;
  before(async () => {
    fx = await makeArchives();
  });
  const summary = (r: Awaited<ReturnType<typeof analyzePath>>) =>
    (r.bundleFindings ?? r.findings).map((f) => `${f.id}@${f.evidence[0]?.file ?? ''}:${f.args['status'] ?? ''}`).sort();

  it('a zip, the same zip named .7z, and a real 7z give the same findings as the files themselves', async () => {
    const zip = await analyzePath(fx.bundleZip);
    assert.equal(zip.kind, 'zip');
    assert.ok(zip.files.some((f) => f.file === 'Program Files/Cisco/AMP/8.1.7.21417/sfc.exe.log' && f.kind === 'connector-log'));
    const findings = summary(zip);
    assert.ok(findings.some((f) => f.startsWith('tetra.update-failed@Program Files/Cisco/AMP/8.1.7.21417/sfc.exe.log')), findings.join('\n'));
    assert.ok(findings.some((f) => f.startsWith('tetra.proxy-connect@Program Files/Cisco/AMP/local.xml')), findings.join('\n'));
    assert.deepEqual(summary(await analyzePath(fx.bundleZipNamed7z)), findings);
    const seven = await analyzePath(fx.real7z);
    assert.equal(seven.kind, '7z');
    for (const f of findings.filter((x) => !x.includes('sfc.exe.log.1'))) assert.ok(summary(seven).includes(f), `${f} missing from the 7z`);
  });

  it('hostile archives: refused entries are listed as unreadable with their reason, nothing is written', async () => {
    const before = readdirSync(fx.dir).sort();
    const evil = await analyzePath(fx.evilZip);
    assert.ok(evil.unreadable.some((u) => /unsafe-name/.test(u.reason)), JSON.stringify(evil.unreadable));
    const bomb = await analyzePath(fx.bombZip);
    assert.ok(bomb.unreadable.some((u) => /ratio/.test(u.reason)), JSON.stringify(bomb.unreadable));
    const enc = await analyzePath(fx.encryptedZip);
    assert.ok(enc.unreadable.some((u) => /encrypted/.test(u.reason)), JSON.stringify(enc.unreadable));
    const cut = await analyzePath(fx.truncatedZip).catch((e: unknown) => e);
    assert.ok(cut instanceof InputError || (cut as { unreadable: unknown[] }).unreadable.length > 0);
    assert.deepEqual(readdirSync(fx.dir).sort(), before);
  });
});

describe('analyzePath: local.xml and policy.xml with the logs around them', () => {
  it('a bundle folder: the lasterror of local.xml, and no policy.xml from a connector 8.1.3+', async () => {
    const r = await analyzePath(fixture('proxy-bundle'));
    const local = r.files.find((f) => f.file === 'local.xml');
    assert.equal(local?.xml?.role, 'local.xml');
    assert.deepEqual(
      local?.xml?.findings.map((f) => [f.id, f.args['status']]),
      [['tetra.proxy-connect', -2103]],
    );
    const unreadable = r.findings.find((f) => f.id === 'policy.unreadable');
    assert.equal(unreadable?.args['reason'], 'missing');
    assert.equal(unreadable?.args['connectorVersion'], '8.1.7.21417');
  });

  it('a policy next to a log with revocation failures: the CRL setting is a warning that says so', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-xml-'));
    const { readFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'policy.xml'), readFileSync(fixture('xml', 'policy.xml')));
    writeFileSync(
      path.join(dir, 'sfc.exe.log'),
      '(1, +0 ms) Mar 02 10:00:00 [9]: ERROR: HttpClient::Perform schannel: next InitializeSecurityContext failed: Unknown error (0x80092013) - The revocation function was unable to check revocation\n',
    );
    const r = await analyzePath(dir);
    const crl = r.findings.find((f) => f.id === 'policy.crl-check');
    assert.equal(crl?.severity, 'warning');
    assert.equal(crl?.args['revocationFailuresSeen'], 1);
    assert.ok(!r.findings.some((f) => f.id === 'policy.unreadable'));
  });

  it('one XML file on its own', async () => {
    const r = await analyzePath(fixture('xml', 'local-stats.xml'));
    assert.equal(r.files[0]?.xml?.role, 'local.xml');
    assert.ok(r.files[0]?.xml?.findings.some((f) => f.id === 'tetra.proxy-connect'));
    assert.ok(!r.findings.some((f) => f.id === 'policy.unreadable'));
  });

  it('a binary policy.xml from a connector 8.1.3+ counts as unreadable', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-xml-'));
    const v = path.join(dir, 'Cisco', 'AMP', '8.1.7.21417');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(v, { recursive: true });
    writeFileSync(path.join(v, 'sfc.exe.log'), '(1, +0 ms) Mar 02 10:00:00 [9]: PipeWrite: x\n');
    writeFileSync(path.join(dir, 'policy.xml'), Buffer.from([0x00, 0x9f, 0x12, 0xee, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]));
    const r = await analyzePath(dir);
    assert.equal(r.findings.find((f) => f.id === 'policy.unreadable')?.args['reason'], 'unreadable');
  });
});

describe('an archive inside a bundle sharing its name with a folder (review of issue 7)', () => {
  it('keeps the folder\'s files and does not read the archive, as the mounted view shows it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-shadow-'));
    const inner = zipBytes([{ name: 'x.txt', data: 'Name                           Type   TTL   Section    IPAddress\n----                           ----   ---   -------    ---------\ntetra-defs.amp.cisco.com       A      60    Answer     198.51.100.7\n', method: 0 }]);
    const failing = "Resolve-DnsName : tetra-defs.amp.cisco.com : DNS name does not exist\nAt line:1 char:1\n+ Resolve-DnsName -Name tetra-defs.amp.cisco.com\n    + CategoryInfo          : ResourceUnavailable: (tetra-defs.amp.cisco.com:String) [Resolve-DnsName], Win32Exception\n    + FullyQualifiedErrorId : DNS_ERROR_RCODE_NAME_ERROR,Microsoft.DnsClient.Commands.ResolveDnsName\n";
    const bundle = path.join(dir, 'bundle.zip');
    writeFileSync(bundle, zipBytes([{ name: 'logs.zip', data: inner, method: 0 }, { name: 'logs.zip/x.txt', data: failing, method: 0 }]));
    const a = await analyzePath(bundle);
    assert.ok(a.unreadable.some((u) => u.file === 'logs.zip' && /folder named logs\.zip/.test(u.reason)), JSON.stringify(a.unreadable));
    assert.ok((a.bundleFindings ?? []).some((f) => f.id === 'dns.resolution-failed'), JSON.stringify((a.bundleFindings ?? []).map((f) => f.id)));
  });
});
