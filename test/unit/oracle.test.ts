/**
 * Oracle: for every code the installed MinGW-w64 headers define (winerror.h, winhttp.h,
 * wininet.h, ntstatus.h), decoding its value returns that name among the readings; and the
 * committed generated table is what the installed headers give (scripts/gen-windows-codes.mjs).
 * The headers come from Debian's mingw-w64-common (scripts/setup-e2e.sh installs it).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { decode, type FamilyId } from '../../src/core/codes';
import { ROOT } from '../support/paths';

const FAMILY: Record<string, FamilyId> = { hresult: 'win.hresult', win32: 'win.win32', ntstatus: 'win.ntstatus', inet: 'win.inet' };

describe('oracle: the MinGW-w64 headers', () => {
  let headers: { families: Record<string, Map<number, string[]>>; facilities: Map<number, string[]> };

  before(async () => {
    const mod = await import(pathToFileURL(path.join(ROOT, 'scripts', 'windows-headers.mjs')).href);
    assert.ok(existsSync(path.join(mod.DEFAULT_INCLUDE, 'winerror.h')), `${mod.DEFAULT_INCLUDE}/winerror.h is missing: run scripts/setup-e2e.sh (installs mingw-w64-common)`);
    headers = mod.readWindowsHeaders();
  });

  for (const family of Object.keys(FAMILY)) {
    it(`decoding every ${family} value the headers define returns its names`, () => {
      let checked = 0;
      for (const [value, names] of headers.families[family]!) {
        const d = decode('0x' + value.toString(16), undefined, { exhaustive: true })!;
        const found = d.matches.filter((m) => m.family === FAMILY[family]).flatMap((m) => m.names);
        for (const name of names) {
          assert.ok(found.includes(name), `${name} (0x${value.toString(16)}): readings ${JSON.stringify(d.matches.map((m) => [m.family, m.names]))}`);
          checked++;
        }
      }
      assert.ok(checked > (family === 'inet' ? 100 : 1000), `only ${checked} ${family} names in the headers`);
    });
  }

  it('the committed generated table is what the installed headers give', () => {
    const generated = JSON.parse(readFileSync(path.join(ROOT, 'src', 'core', 'codes', 'data', 'generated', 'windows.json'), 'utf8'));
    for (const family of Object.keys(FAMILY)) {
      const fromHeaders = Object.fromEntries([...headers.families[family]!.entries()].map(([v, n]) => [String(v), n]));
      assert.deepEqual(generated[family], fromHeaders, `${family} differs: run node scripts/gen-windows-codes.mjs`);
    }
  });

  it('spot checks against values written in the headers themselves', () => {
    const text = readFileSync('/usr/share/mingw-w64/include/winerror.h', 'latin1');
    assert.match(text, /#define CRYPT_E_REVOCATION_OFFLINE _HRESULT_TYPEDEF_\(0x80092013L?\)/);
    assert.equal(decode('0x80092013')!.matches[0]?.names[0], 'CRYPT_E_REVOCATION_OFFLINE');
    assert.equal(decode('0xC0000005')!.matches[0]?.names[0], 'STATUS_ACCESS_VIOLATION');
    assert.deepEqual(decode('0x80070005')!.matches.map((m) => m.names[0]), ['E_ACCESSDENIED', 'ERROR_ACCESS_DENIED']);
    assert.equal(decode('10060', 'win32-error')!.matches[0]?.names[0], 'WSAETIMEDOUT');
  });
});
