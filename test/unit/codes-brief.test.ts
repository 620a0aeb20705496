/**
 * Table-driven: every code of BRIEF section 3, in every form it is written (unsigned, signed,
 * hex in upper and lower case, bare hex where the context allows), and inside its context line
 * from the seeds. The context line must rank the right family first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode, entries, headerNames, numberAt, type FamilyId } from '../../src/core/codes';

interface Case {
  /** The value as the family writes it. */
  value: number;
  family: FamilyId;
  name?: string;
  kind?: string;
  /** Context lines from the seeds and the BRIEF, with `{}` where the number stands. */
  lines: string[];
  /** The form the number takes inside the lines (default: as written in `value`). */
  form?: (u32: number, signed: number) => string;
}

const u = (n: number) => n >>> 0;
const hexU = (n: number) => '0x' + u(n).toString(16).toUpperCase().padStart(8, '0');
const hexL = (n: number) => '0x' + u(n).toString(16);

const TETRA: Case[] = [
  [-2103, 'tetra.proxy-connect'],
  [-2100, 'tetra.proxy-auth'],
  [-2109, 'tetra.proxy-download'],
  [-3000, 'tetra.unknown-error'],
].map(([value, kind]) => ({
  value: value as number,
  family: 'se.tetra' as const,
  kind: kind as string,
  lines: [
    '<lasterror>{}</lasterror>',
    '(978223515, +0 ms) Aug 04 07:30:23 [11944]: AVStat::CopyInternal : engine - 2, defs - 0, first failure - never, last err code - {}, last upd success - never',
    '(978223515, +0 ms) Aug 04 07:30:23 [11944]: PerformTetraUpdate: bUpdated = FALSE, state: 20, status: {}',
    '(978223515, +0 ms) Aug 04 07:30:23 [11944]: ERROR: TetraUpdateInterface::update Update failed with error {}',
  ],
}));

const EVENT_TYPES: Array<[number, string]> = [
  [553648130, 'Policy Update'],
  [2164260866, 'Policy Update Failure'],
  [553648135, 'Product Update Started'],
  [553648136, 'Product Update Completed'],
  [553648137, 'Product Update Failed'],
  [2164260931, 'Critical Fault Raised'],
  [1090519107, 'Major Fault Raised'],
  [553648195, 'Minor Fault Raised'],
  [553648196, 'Fault Cleared'],
  [553648202, 'Isolation Start Success'],
  [2164260939, 'Isolation Start Failure'],
  [553648204, 'Isolation Stop Success'],
  [2164260941, 'Isolation Stop Failure'],
  [553648206, 'Isolation Update Success'],
  [2164260943, 'Isolation Update Failure'],
  [553648215, 'Endpoint Isolation Unlock Limit Reached'],
  [553648143, 'Threat Quarantined'],
  [2164260880, 'Quarantine Failure'],
  [2165309453, 'Scan Failed'],
  [2164260914, 'IOC Definition Update Failure'],
];

const CERTIFICATES: Array<[number, string]> = [
  [0x80092013, 'CRYPT_E_REVOCATION_OFFLINE'],
  [0x80092012, 'CRYPT_E_NO_REVOCATION_CHECK'],
  [0x80092010, 'CRYPT_E_REVOKED'],
  [0x800b0109, 'CERT_E_UNTRUSTEDROOT'],
  [0x800b0112, 'CERT_E_UNTRUSTEDCA'],
  [0x80090325, 'SEC_E_UNTRUSTED_ROOT'],
  [0x80090326, 'SEC_E_ILLEGAL_MESSAGE'],
  [0x80090302, 'SEC_E_UNSUPPORTED_FUNCTION'],
  [0x80090331, 'SEC_E_ALGORITHM_MISMATCH'],
  [0x80090328, 'SEC_E_CERT_EXPIRED'],
];

const CASES: Case[] = [
  ...TETRA,
  {
    value: 3240624137,
    family: 'se.isolation',
    kind: 'isolation.invalid-unlock-code',
    lines: ['Connector Details\tError Code\t{}', 'Isolation Stop Failed. Error Code: {}'],
  },
  ...EVENT_TYPES.map(([value, name]) => ({
    value,
    family: 'se.event' as const,
    name,
    lines: ['(978223515, +0 ms) Aug 04 07:30:23 [4420]: imn::CEventManager::PublishEvent: publishing type={}'],
  })),
  ...CERTIFICATES.map(([value, name]) => ({
    value,
    family: 'win.hresult' as const,
    name,
    lines: [
      '- * schannel: next InitializeSecurityContext failed: Unknown error ({}) The revocation function',
      'curl: (35) schannel: next InitializeSecurityContext failed: Unknown error ({}) - The revocation',
    ],
    form: (x: number) => hexU(x),
  })),
];

/** Every way a value can be written. */
function forms(c: Case): string[] {
  const s = c.value | 0;
  const out = [String(u(c.value)), hexU(c.value), hexL(c.value), hexU(c.value).toLowerCase().replace('0x', '0X')];
  if (s < 0) out.push(String(s));
  return out;
}

describe('BRIEF §3 codes in every form', () => {
  for (const c of CASES) {
    const label = `${c.family} ${c.value}${c.name ? ` ${c.name}` : ''}`;
    it(`${label}: every written form decodes to the same reading`, () => {
      for (const f of forms(c)) {
        const d = decode(f, undefined, { exhaustive: true });
        assert.ok(d, f);
        assert.equal(d.readings?.unsigned, u(c.value), f);
        const m = d.matches.find((x) => x.family === c.family);
        assert.ok(m, `${f}: no ${c.family} reading`);
        if (c.kind) assert.equal(m.entry?.kind, c.kind, f);
        if (c.name) assert.equal(m.entry?.symbol ?? m.names[0], c.name, f);
      }
    });
    it(`${label}: its context lines rank it first`, () => {
      for (const template of c.lines) {
        const text = (c.form ?? ((x: number) => (c.family === 'se.tetra' ? String(x | 0) : String(u(x)))))(c.value, c.value | 0);
        for (const written of new Set([text, ...(c.family === 'se.tetra' ? [String(u(c.value))] : [])])) {
          const line = template.replace('{}', written);
          const found = numberAt(line, line.indexOf(written) + 1);
          assert.ok(found, line);
          const best = found.decoded.matches[0];
          assert.equal(best?.family, c.family, line);
          assert.equal(best?.confidence, 'context', line);
          if (c.kind) assert.equal(best?.entry?.kind, c.kind, line);
        }
      }
    });
  }

  it('reads bare 8-digit hex after schannel as the certificate code', () => {
    const line = 'schannel: next InitializeSecurityContext failed: Unknown error (80092013) - The revocation';
    const found = numberAt(line, line.indexOf('80092013') + 2)!;
    assert.equal(found.decoded.readings?.hex, '0x80092013');
    assert.equal(found.decoded.matches[0]?.names[0], 'CRYPT_E_REVOCATION_OFFLINE');
  });

  it('reads `Description: Handshake Failure (40)` as a TLS alert, with the Schannel code it becomes', () => {
    for (const [n, name, schannel] of [
      [40, 'handshake_failure', 'SEC_E_ILLEGAL_MESSAGE'],
      [48, 'unknown_ca', 'SEC_E_UNTRUSTED_ROOT'],
      [70, 'protocol_version', 'SEC_E_UNSUPPORTED_FUNCTION'],
      [71, 'insufficient_security', 'SEC_E_ALGORITHM_MISMATCH'],
      [45, 'certificate_expired', 'SEC_E_CERT_EXPIRED'],
      [10, 'unexpected_message', 'SEC_E_ILLEGAL_MESSAGE'],
      [50, 'decode_error', 'SEC_E_ILLEGAL_MESSAGE'],
    ] as const) {
      const line = `        Description: Handshake Failure (${n})`;
      const best = numberAt(line, line.indexOf(`(${n}`) + 1)!.decoded.matches[0]!;
      assert.equal(best.family, 'tls.alert');
      assert.equal(best.entry?.symbol, name);
      assert.match(best.entry!.summary, new RegExp(schannel));
    }
  });

  it('reads `curl: (N)` as a curl exit code', () => {
    for (const [n, name] of [
      [5, 'CURLE_COULDNT_RESOLVE_PROXY'],
      [6, 'CURLE_COULDNT_RESOLVE_HOST'],
      [7, 'CURLE_COULDNT_CONNECT'],
      [28, 'CURLE_OPERATION_TIMEDOUT'],
      [35, 'CURLE_SSL_CONNECT_ERROR'],
      [56, 'CURLE_RECV_ERROR'],
      [60, 'CURLE_PEER_FAILED_VERIFICATION'],
    ] as const) {
      const line = `curl: (${n}) schannel: next InitializeSecurityContext failed`;
      const best = numberAt(line, 7)!.decoded.matches[0]!;
      assert.equal(best.family, 'curl');
      assert.equal(best.entry?.symbol, name);
    }
  });

  it('reads WinHTTP/WinINet 12xxx plain and wrapped as 0x80072Exx/0x80072Fxx', () => {
    for (const [n, name] of [
      [12002, 'ERROR_WINHTTP_TIMEOUT'],
      [12007, 'ERROR_WINHTTP_NAME_NOT_RESOLVED'],
      [12029, 'ERROR_WINHTTP_CANNOT_CONNECT'],
      [12057, 'ERROR_WINHTTP_SECURE_CERT_REV_FAILED'],
      [12157, 'ERROR_WINHTTP_SECURE_CHANNEL_ERROR'],
      [12175, 'ERROR_WINHTTP_SECURE_FAILURE'],
      [12166, 'ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT'],
      [12178, 'ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR'],
      [12180, 'ERROR_WINHTTP_AUTODETECTION_FAILED'],
    ] as const) {
      assert.ok(decode(String(n))!.matches.find((m) => m.family === 'win.inet')?.names.includes(name), `${n}`);
      const wrapped = '0x8007' + n.toString(16).toUpperCase();
      assert.match(wrapped, /^0x80072[EF]/);
      const m = decode(wrapped)!.matches.find((x) => x.family === 'win.inet');
      assert.ok(m?.names.includes(name), wrapped);
      assert.equal(m?.via, 'hresult-from-win32');
    }
  });

  it('reads `NFMMemCache::Get: rip: <n>` as a little-endian IPv4 address', () => {
    const line = '(1203345500, +2 ms) Dec 31 23:59:58 [4120]: NFMMemCache::Get: rip: 16885952';
    assert.equal(numberAt(line, line.length - 2)!.decoded.matches[0]?.text, '192.168.1.1');
  });

  it('says plainly when a value in the TETRA range has no documented meaning', () => {
    const d = decode('-2500')!;
    assert.deepEqual(
      d.matches.map((m) => [m.family, m.confidence, m.entry]),
      [['se.tetra', 'structural', undefined]],
    );
  });

  it('gives every BRIEF §3 code what it usually means here and what to do next', () => {
    const brief: Array<[FamilyId, number[]]> = [
      ['se.tetra', [-2103, -2100, -2109, -3000]],
      ['se.isolation', [3240624137]],
      ['se.event', EVENT_TYPES.map(([v]) => v)],
      ['win.hresult', CERTIFICATES.map(([v]) => v)],
      ['win.inet', [12002, 12007, 12029, 12057, 12157, 12175, 12166, 12178, 12180]],
      ['tls.alert', [10, 40, 45, 47, 48, 50, 70, 71]],
      ['curl', [5, 6, 7, 28, 35, 56, 60]],
    ];
    for (const [family, values] of brief) {
      for (const v of values) {
        const e = entries(family).find((x) => x.value >>> 0 === v >>> 0);
        assert.ok(e, `${family} ${v} has no entry`);
        assert.ok(e.meaning && e.meaning.length > 10, `${family} ${v}: no meaning`);
        assert.ok(e.next && e.next.length > 10, `${family} ${v}: no next step`);
        assert.ok(e.source.length > 0, `${family} ${v}: no source`);
      }
    }
  });

  it('names every curated Windows code as the MinGW-w64 headers do', () => {
    for (const family of ['win.hresult', 'win.inet'] as const) {
      for (const e of entries(family)) assert.ok(headerNames(family, e.value).includes(e.symbol!), `${e.symbol} is not what the headers call ${e.value}`);
    }
  });
});
