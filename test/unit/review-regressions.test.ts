/**
 * Regression tests for defects found in review, each with the input that showed it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readInContext } from '../../src/cli/cli';
import { decode, numberAt, scanNumbers } from '../../src/core/codes';
import { analyzeLogText } from '../../src/core/log/analyze';
import { codeSpan, diagnoseResult } from '../../src/shared/report';

describe('review regressions: number scanning', () => {
  it('finds bare hex that starts with a digit and contains a letter', () => {
    for (const line of ['error 800B0109', 'hr=800B0109', 'schannel: failed (800B0109)', 'error 8009201A']) {
      const t = scanNumbers(line).at(-1);
      assert.ok(t, line);
      assert.equal(t.bareHex, true, line);
      assert.equal(t.text.length, 8, line);
    }
    const found = numberAt('schannel: failed (800B0109)', 20)!;
    assert.equal(found.decoded.matches[0]?.names[0], 'CERT_E_UNTRUSTEDROOT');
  });

  it('does not let a generic "error code" take a known Windows code for an isolation error', () => {
    const a = numberAt('Download failed with error code 0x80072EE2', 35)!;
    assert.equal(a.decoded.matches[0]?.names[0], 'ERROR_WINHTTP_TIMEOUT');
    const b = numberAt('Error code: 0x800B0109', 15)!;
    assert.equal(b.decoded.matches[0]?.names[0], 'CERT_E_UNTRUSTEDROOT');
  });

  it('ranks a known reading above a context family that does not know the value', () => {
    const line = 'Certificate revocation check failed (0x80072EE2)';
    const d = numberAt(line, line.indexOf('0x') + 3)!.decoded;
    assert.equal(d.matches[0]?.names[0], 'ERROR_WINHTTP_TIMEOUT');
    const last = d.matches.at(-1)!;
    assert.equal(last.family, 'win.hresult');
    assert.equal(last.confidence, 'context');
  });

  it('never reads the tick of a header line as a certificate code', () => {
    for (const tick of ['978223515', '97822351']) {
      const line = `(${tick}, +0 ms) Aug 04 07:30:23 [11944]: schannel: revocation check failed`;
      const t = scanNumbers(line)[0]!;
      assert.equal(t.text, tick);
      assert.equal(t.hint, undefined);
      assert.equal(t.bareHex, undefined);
    }
  });

  it('reads the current wording of Schannel events 36887/36888 as a TLS alert', () => {
    const line = 'A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 46.';
    assert.equal(numberAt(line, line.indexOf('46') + 1)?.token.hint, 'tls-alert');
  });

  it('keeps the minus sign after a brace', () => {
    assert.equal(scanNumbers('{-3000}')[0]?.text, '-3000');
  });
});

describe('review regressions: decoding', () => {
  it('unwraps HRESULT_FROM_NT for error NTSTATUS values (R set)', () => {
    const d = decode('0xD0000022')!;
    assert.equal(d.matches[0]?.names[0], 'STATUS_ACCESS_DENIED');
    assert.equal(d.matches[0]?.via, 'hresult-from-nt');
    assert.equal(d.hresultShaped, true);
  });

  it('gives ordinary small numbers no Windows names in hover (counts, states, thread ids)', () => {
    for (const v of ['0', '1', '258', '260', '20']) assert.deepEqual(decode(v)!.matches, [], v);
    // …but the CLI's exhaustive decode still lists them, as err.exe does.
    assert.ok(decode('258', undefined, { exhaustive: true })!.matches.some((m) => m.names.includes('STATUS_TIMEOUT')));
  });

  it('reads a sign-extended 64-bit HRESULT as its 32 bits', () => {
    assert.equal(decode('0xFFFFFFFF80092013')!.matches[0]?.names[0], 'CRYPT_E_REVOCATION_OFFLINE');
  });

  it('does not invent FACILITY_INTERNET unwrapping', () => {
    assert.ok(!decode('0x800C2EE2')!.matches.some((m) => m.family === 'win.inet'));
  });
});

describe('review regressions: CLI context', () => {
  it('keeps 8-digit decimals decimal unless the context makes them hex', () => {
    assert.deepEqual(readInContext('16777343', 'NFMMemCache::Get: rip:'), { hint: 'ipv4-le', bareHex: false });
    assert.deepEqual(readInContext('12345678', 'tetra-status'), { hint: 'tetra-status', bareHex: false });
    assert.equal(readInContext('80092013', 'schannel: next InitializeSecurityContext failed: Unknown error (').bareHex, true);
  });

  it('reads only the end of a pasted megabyte of context', () => {
    assert.equal(readInContext('-3000', 'x'.repeat(1_000_000) + ' last err code -').hint, 'tetra-status');
  });
});

describe('review regressions: report', () => {
  it('keeps file names with pipes and backticks inside their code span and table row', () => {
    assert.equal(codeSpan('case|42 `notes`.txt'), '``case\\|42 `notes`.txt``');
    const md = diagnoseResult('x', {
      root: 'x',
      kind: 'folder',
      files: [{ file: 'a|b.log', kind: 'connector-log', analysis: { ...analyzeLogText(''), lines: 1, entries: 1 } }],
      findings: [],
      logSets: [],
      unreadable: [{ file: 'secret|dir', reason: 'EACCES' }],
    }).markdown;
    assert.match(md, /\| `a\\\|b\.log` \| 1 \|/);
    assert.match(md, /`secret\\\|dir` \(EACCES\)/);
  });
});
