import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
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

  it('refuses archives and missing paths with a typed error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-'));
    const zip = path.join(dir, 'bundle.7z');
    writeFileSync(zip, Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'latin1'));
    await assert.rejects(analyzePath(zip), (e: unknown) => e instanceof InputError && e.code === 'unsupported-archive' && e.detail === 'zip');
    await assert.rejects(analyzePath(path.join(dir, 'nope')), (e: unknown) => e instanceof InputError && e.code === 'not-found');
  });
});
