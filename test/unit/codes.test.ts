import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode, numberAt, parseNumber, scanNumbers } from '../../src/core/codes';

describe('decode', () => {
  it('reads 4294965193 as TETRA -2103 (could not connect to the proxy) with every reading', () => {
    const d = decode('4294965193', 'tetra-status')!;
    assert.equal(d.readings?.unsigned, 4294965193);
    assert.equal(d.readings?.signed, -2103);
    assert.equal(d.readings?.hex, '0xFFFFF7C9');
    assert.equal(d.matches[0]?.family, 'se.tetra');
    assert.equal(d.matches[0]?.entry?.kind, 'tetra.proxy-connect');
  });

  it('gives the same 32 bits the same meaning whether written signed, unsigned or hex', () => {
    for (const text of ['-2100', '4294965196', '0xFFFFF7CC', '0xfffff7cc']) {
      const d = decode(text)!;
      assert.equal(d.readings?.unsigned, 4294965196, text);
      assert.equal(d.matches[0]?.entry?.kind, 'tetra.proxy-auth', text);
    }
  });

  it('names 0x80092013 CRYPT_E_REVOCATION_OFFLINE and splits its HRESULT fields', () => {
    const d = decode('0x80092013')!;
    assert.equal(d.matches[0]?.entry?.symbol, 'CRYPT_E_REVOCATION_OFFLINE');
    assert.deepEqual(d.readings?.hresult, { severity: 1, reserved: 0, customer: 0, ntstatus: 0, x: 0, facility: 9, code: 0x2013 });
    assert.equal(d.readings?.signed, -2146885613);
  });

  it('reads 3240624137 as the isolation error "Invalid unlock code" (0xC1280009)', () => {
    const d = decode('3240624137')!;
    assert.equal(d.readings?.hex, '0xC1280009');
    assert.equal(d.matches[0]?.family, 'se.isolation');
    assert.equal(d.matches[0]?.entry?.kind, 'isolation.invalid-unlock-code');
  });

  it('reads -3000 and 4294964296 as Unknown_Error', () => {
    assert.equal(decode('-3000')!.matches[0]?.entry?.symbol, 'Unknown_Error');
    assert.equal(decode('4294964296')!.matches[0]?.entry?.symbol, 'Unknown_Error');
  });

  it('unwraps WinHTTP errors wrapped in an HRESULT (0x80072EE2 = 12002)', () => {
    const d = decode('0x80072EE2')!;
    const m = d.matches.find((x) => x.family === 'win.inet');
    assert.equal(m?.entry?.symbol, 'ERROR_WINHTTP_TIMEOUT');
    assert.equal(m?.via, 'hresult-from-win32');
  });

  it('never invents a meaning: an unknown TETRA status has no entry but keeps its readings', () => {
    const d = decode('-2999', 'tetra-status')!;
    assert.equal(d.readings?.unsigned, 4294964297);
    assert.equal(d.matches.length, 1);
    assert.equal(d.matches[0]?.family, 'se.tetra');
    assert.equal(d.matches[0]?.entry, undefined);
  });

  it('reads small numbers as TLS alerts or curl codes only when the context says so', () => {
    assert.equal(decode('40')!.matches.length, 0);
    assert.equal(decode('40', 'tls-alert')!.matches[0]?.entry?.symbol, 'handshake_failure');
    assert.equal(decode('35', 'curl-exit')!.matches[0]?.entry?.symbol, 'CURLE_SSL_CONNECT_ERROR');
  });

  it('decodes NFMMemCache rip: values as little-endian IPv4', () => {
    assert.equal(decode('16885952', 'ipv4-le')!.matches[0]?.text, '192.168.1.1');
  });

  it('handles values wider than 32 bits without 32-bit readings', () => {
    const d = decode('549755813887')!;
    assert.equal(d.readings, undefined);
    assert.equal(d.value, 549755813887n);
  });

  it('refuses what is not a number, and bounds the length', () => {
    assert.equal(parseNumber('abc'), undefined);
    assert.equal(parseNumber('1'.repeat(100)), undefined);
    assert.equal(parseNumber('80092013', { bareHex: true }), 0x80092013n);
    assert.equal(parseNumber('80092013'), 80092013n);
  });
});

describe('scanNumbers', () => {
  const texts = (line: string) => scanNumbers(line).map((t) => t.text);

  it('finds signed values and their context in TETRA lines', () => {
    const line = 'PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -3000';
    const tokens = scanNumbers(line);
    assert.deepEqual(tokens.map((t) => t.text), ['20', '-3000']);
    assert.equal(tokens[1]?.hint, 'tetra-status');
  });

  it('skips times, versions, IP addresses, GUID parts and identifiers', () => {
    assert.deepEqual(texts('Aug 04 07:30:23 version 8.1.7.21417 ip 10.0.0.1 guid 5c6e64fa-7738-4b39-b201-15451e33bfe6 Win32 x64'), ['04']);
  });

  it('reads a bare 8-digit hex code where the context says it is one', () => {
    const line = 'schannel: next InitializeSecurityContext failed: Unknown error (80092013) - The revocation function';
    const [t] = scanNumbers(line);
    assert.equal(t?.bareHex, true);
    assert.equal(t?.hint, 'certificate');
  });

  it('recognises lasterror, publishing type=, rip:, curl: ( and TLS alert descriptions', () => {
    assert.equal(scanNumbers('<lasterror>4294965193</lasterror>')[0]?.hint, 'tetra-status');
    assert.equal(scanNumbers('imn::CEventManager::PublishEvent: publishing type=553648143')[0]?.hint, 'event-type');
    assert.equal(scanNumbers('NFMMemCache::Get: rip: 16885952')[0]?.hint, 'ipv4-le');
    assert.equal(scanNumbers('curl: (35) schannel: failed')[0]?.hint, 'curl-exit');
    assert.equal(scanNumbers('Description: Handshake Failure (40)')[0]?.hint, 'tls-alert');
  });
});

describe('numberAt', () => {
  it('returns the number under the cursor, decoded, with its range', () => {
    const line = 'AVStat::CopyInternal : engine - 2, defs - 0, first failure - never, last err code - 4294964296, last upd success - never';
    const at = line.indexOf('4294964296') + 3;
    const found = numberAt(line, at)!;
    assert.equal(found.token.text, '4294964296');
    assert.equal(found.decoded.matches[0]?.entry?.symbol, 'Unknown_Error');
  });

  it('uses the previous line of a wrapped entry as context', () => {
    const found = numberAt('failed with error -3000', 19, '(978223515, +0 ms) Aug 04 07:30:23 [11944]: ERROR: TetraUpdateInterface::update Update')!;
    assert.equal(found.token.hint, 'tetra-status');
  });

  it('costs bounded work on a line of megabytes', () => {
    const line = 'x'.repeat(5_000_000) + ' status: -3000 tetra';
    const found = numberAt(line, line.indexOf('-3000') + 1);
    assert.equal(found?.token.text, '-3000');
  });

  it('finds nothing between numbers', () => {
    assert.equal(numberAt('error code here', 3), undefined);
  });
});
