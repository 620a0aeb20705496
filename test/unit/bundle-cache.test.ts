import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, utimesSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BundleAnalysisCache, bundleFingerprint } from '../../src/core/bundle/cache';
import { CancelledError } from '../../src/core/types';
import { fixture } from '../support/paths';

function copyOf(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bl-cache-'));
  cpSync(fixture(name), dir, { recursive: true });
  return dir;
}

describe('bundle analysis cache', () => {
  it('reuses an analysis while the bundle is unchanged and reads it again when a file changes', async () => {
    const dir = copyOf('proxy-bundle');
    const cache = new BundleAnalysisCache();
    const first = await cache.get(dir);
    assert.equal(first.cached, false);
    const again = await cache.get(dir);
    assert.equal(again.cached, true);
    assert.equal(again.analysis, first.analysis);
    assert.equal(cache.analysed, 1);

    // A file added beside the logs (a command output) changes the fingerprint.
    writeFileSync(path.join(dir, 'nslookup.txt'), 'Server:  UnKnown\nAddress:  10.0.0.1\n\n*** UnKnown can\'t find cloud-ec-asn.amp.cisco.com: Non-existent domain\n');
    const third = await cache.get(dir);
    assert.equal(third.cached, false);
    assert.equal(cache.analysed, 2);
    assert.ok(third.analysis.files.length >= first.analysis.files.length);
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees a file rewritten at the same size through its time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-cache-'));
    const log = path.join(dir, 'sfc.exe.log');
    writeFileSync(log, '(1, +0 ms) Aug 04 07:30:23 [2]: a\n');
    const before = await bundleFingerprint(dir);
    writeFileSync(log, '(1, +0 ms) Aug 04 07:30:23 [2]: b\n');
    utimesSync(log, new Date('2031-01-01T00:00:00Z'), new Date('2031-01-01T00:00:00Z'));
    assert.notEqual(await bundleFingerprint(dir), before);
    appendFileSync(log, 'more\n');
    const grown = await bundleFingerprint(dir);
    assert.equal(await bundleFingerprint(dir), grown);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fingerprints a single file (a log analysed alone, an archive) by itself', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-cache-'));
    const log = path.join(dir, 'sfc.exe.log');
    writeFileSync(log, '(1, +0 ms) Aug 04 07:30:23 [2]: a\n');
    const zip = path.join(dir, 'bundle.zip');
    writeFileSync(zip, Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'latin1'));
    const logPrint = await bundleFingerprint(log);
    const zipPrint = await bundleFingerprint(zip);
    writeFileSync(path.join(dir, 'policy.xml'), '<config/>');
    assert.equal(await bundleFingerprint(log), logPrint, 'a file beside a log is not part of its analysis');
    assert.equal(await bundleFingerprint(zip), zipPrint, 'a file beside an archive is not part of it');
    assert.equal(await bundleFingerprint(path.join(dir, 'missing')), undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees a file rewritten at the same size with its old modification time restored (review of issue 7)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-cache-'));
    const log = path.join(dir, 'sfc.exe.log');
    writeFileSync(log, '(1, +0 ms) Aug 04 07:30:23 [2]: a\n');
    const when = new Date('2030-05-01T10:00:00Z');
    utimesSync(log, when, when);
    const before = await bundleFingerprint(dir);
    // Same length, same mtime (as an extraction tool or cp --preserve=timestamps leaves it).
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(log, '(1, +0 ms) Aug 04 07:30:23 [2]: b\n');
    utimesSync(log, when, when);
    assert.notEqual(await bundleFingerprint(dir), before);
    rmSync(dir, { recursive: true, force: true });
  });

  it('requests for a bundle under analysis share it; it stops only when every request is cancelled', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-cache-'));
    writeFileSync(path.join(dir, 'sfc.exe.log'), '(1, +0 ms) Aug 04 07:30:23 [2]: a\n');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    let sawCancel = false;
    const cache = new BundleAnalysisCache(async (target, token) => {
      calls++;
      await gate;
      sawCancel = token.isCancellationRequested;
      return { root: target, kind: 'folder', files: [], findings: [], logSets: [], unreadable: [] };
    });
    const first = { isCancellationRequested: false };
    const a = cache.get(dir, first);
    // Let the first request reach the analysis before the second one asks.
    while (calls === 0) await new Promise((r) => setImmediate(r));
    const b = cache.get(dir);
    await new Promise((r) => setTimeout(r, 20));
    first.isCancellationRequested = true; // one request gives up: the other still wants the result
    release();
    await assert.rejects(a, (e: unknown) => e instanceof CancelledError);
    const got = await b;
    assert.equal(calls, 1, 'one analysis for both');
    assert.equal(sawCancel, false, 'the shared analysis was not cancelled while a request still waited');
    assert.equal(got.analysis.root, dir);
    assert.equal((await cache.get(dir)).cached, true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a bounded number of bundles, forgets on request, and never caches a failure', async () => {
    const dirs = [0, 1, 2].map(() => {
      const d = mkdtempSync(path.join(tmpdir(), 'bl-cache-'));
      writeFileSync(path.join(d, 'sfc.exe.log'), '(1, +0 ms) Aug 04 07:30:23 [2]: a\n');
      return d;
    });
    let calls = 0;
    let fail = true;
    const cache = new BundleAnalysisCache(async (target) => {
      calls++;
      if (fail && target === dirs[2]) throw new Error('boom');
      return { root: target, kind: 'folder', files: [], findings: [], logSets: [], unreadable: [] };
    }, 2);
    await cache.get(dirs[0]!);
    await cache.get(dirs[1]!);
    await assert.rejects(cache.get(dirs[2]!), /boom/);
    fail = false;
    await cache.get(dirs[2]!); // analysed again after the failure
    assert.equal(calls, 4);
    assert.equal((await cache.get(dirs[2]!)).cached, true);
    assert.equal((await cache.get(dirs[0]!)).cached, false, 'the least recently used bundle was dropped');
    cache.forget(dirs[0]!);
    assert.equal((await cache.get(dirs[0]!)).cached, false);
    assert.equal((await cache.get(dirs[0]!, undefined, { fresh: true })).cached, false);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
});
