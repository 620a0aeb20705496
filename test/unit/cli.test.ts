import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../src/cli/cli';
import { DIST, fixture } from '../support/paths';

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('bundle-lens decode', () => {
  it('prints every reading as JSON', async () => {
    const r = await run('decode', '0x80092013', '--json');
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out);
    assert.equal(j.input, '0x80092013');
    assert.equal(j.unsigned, 2148081683);
    assert.equal(j.signed, -2146885613);
    assert.equal(j.hex, '0x80092013');
    assert.deepEqual(j.hresult, { severity: 1, reserved: 0, customer: 0, ntstatus: 0, x: 0, facility: 9, code: 8211, facilityNames: ['FACILITY_SSPI', 'FACILITY_SECURITY'], meaningful: true });
    assert.equal(j.readings[0].family, 'win.hresult');
    assert.equal(j.readings[0].name, 'CRYPT_E_REVOCATION_OFFLINE');
    assert.equal(j.readings[0].confidence, 'exact');
    assert.match(j.readings[0].action, /CRL\/OCSP/);
  });

  it('decodes in text form with the meaning and next step', async () => {
    const r = await run('decode', '4294965193');
    assert.match(r.out, /-2103/);
    assert.match(r.out, /could not connect to the proxy/);
    assert.match(r.out, /Next step:/);
  });

  it('ranks by the words given with --context, and says when they name nothing', async () => {
    const j = JSON.parse((await run('decode', '4294965193', '--context', 'last err code -', '--json')).out);
    assert.equal(j.readings[0].family, 'se.tetra');
    assert.equal(j.readings[0].confidence, 'context');
    const cert = JSON.parse((await run('decode', '80092013', '--context', 'schannel: next InitializeSecurityContext failed: Unknown error (', '--json')).out);
    assert.equal(cert.hex, '0x80092013');
    assert.equal(cert.readings[0].name, 'CRYPT_E_REVOCATION_OFFLINE');
    assert.equal(cert.readings[0].confidence, 'context');
    const vague = await run('decode', '5', '--context', 'hello there', '--json');
    assert.match(vague.err, /names no family/);
    assert.equal(JSON.parse(vague.out).readings[0].name, 'ERROR_ACCESS_DENIED');
  });

  it('reads eight hex digits with a letter as hex, and values wider than 32 bits without readings', async () => {
    assert.equal(JSON.parse((await run('decode', '8009201a', '--json')).out).unsigned, 0x8009201a);
    const wide = JSON.parse((await run('decode', '549755813887', '--json')).out);
    assert.equal(wide.unsigned, null);
    assert.equal(wide.hex, '0x7FFFFFFFFF');
  });

  it('exits 2 with a clear message on bad usage', async () => {
    for (const args of [[], ['decode'], ['decode', 'banana'], ['decode', '12abc'], ['frobnicate'], ['decode', '1', '--bogus'], ['decode', '1', '--context']]) {
      const r = await run(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.ok(r.err.length > 0);
      assert.equal(r.out, '');
    }
  });
});

describe('bundle-lens diagnose', () => {
  it('reports the TETRA failure in a folder bundle and exits 1 for error-level findings', async () => {
    const r = await run('diagnose', fixture('proxy-bundle'), '--json');
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    assert.equal(j.findings[0].kind, 'tetra.proxy-connect');
    assert.equal(j.findings[0].count, 3);
  });

  it('exits 0 when there is nothing wrong', async () => {
    const r = await run('diagnose', fixture('text', 'curl-revocation.txt'));
    assert.equal(r.code, 0);
  });

  it('exits 2 on a missing path or an archive, saying why', async () => {
    const missing = await run('diagnose', fixture('does-not-exist'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /does not exist/);
  });

  it('works as the built, executable dist/cli.js', () => {
    const r = spawnSync(process.execPath, [path.join(DIST, 'cli.js'), 'decode', '3240624137', '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).readings[0].kind, 'isolation.invalid-unlock-code');
  });
});
