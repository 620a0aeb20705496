import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzePath } from '../../src/core/bundle/inputs';
import type { MissingItem } from '../../src/core/bundle/inventory';
import { BUNDLE_ACTIONS, BUNDLE_RULES } from '../../src/core/bundle/rules';
import type { Finding } from '../../src/core/types';
import { codeSpan, diagnoseResult } from '../../src/shared/report';
import { actionTitle, findingMessage, findingTitle, missingItemText } from '../../src/shared/render';
import { fixture } from '../support/paths';

const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function f(id: string, args: Finding['args'], extra: Partial<Finding> = {}): Finding {
  return { id, severity: 'error', args, range: zero, evidence: [], ...extra };
}

/** Representative arguments of every bundle rule (core/bundle/rules.ts), with their variants. */
const SAMPLES: Finding[] = [
  f('dns.resolution-failed', { name: 'tetra-defs.amp.cisco.com', error: 'name-error', source: 'resolve-dnsname', count: 1, updateServer: 1, errorId: 'DNS_ERROR_RCODE_NAME_ERROR' }),
  f('dns.resolution-failed', { name: 'proxy.example', error: 'no-address', source: 'nslookup', count: 2, updateServer: 0 }),
  f('tls.revocation-offline', { host: 'tetra-defs.amp.cisco.com', code: '0x80092013', count: 1, crlCheck: 0, exit: 35 }),
  f('tls.handshake-failure', { count: 1, sources: 'wireshark', afterClientHello: 1, alert: 40, alertName: 'handshake_failure', host: 'tetra-defs.amp.cisco.com' }, { kind: 'tls.no-shared-cipher' }),
  f('tls.handshake-failure', { count: 3, sources: 'schannel-event', afterClientHello: 0, alert: 48, eventId: 36887 }, { kind: 'tls.untrusted-root', severity: 'warning' }),
  f('tls.cipher-suites-missing', { source: 'get-tlsciphersuite', offered: 8, accepted: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 TLS_AES_128_GCM_SHA256' }),
  f('tls.cipher-suites-missing', { source: 'client-hello', offered: 6, accepted: 'TLS_AES_128_GCM_SHA256', packet: 34 }),
  f('tetra.definitions-stale', { thresholdHours: 24, thresholdVersions: 4, current: 90588, newest: 90606, versionsBehind: 18, currentVia: 'console' }, { kind: 'tetra.behind-available', severity: 'warning' }),
  f('tetra.definitions-stale', { thresholdHours: 24, thresholdVersions: 4, gapHours: 97.3, lastSeen: '2023-05-20 09:02:11 UTC', lastUpdated: '2023-05-16 07:45:02 UTC' }, { kind: 'tetra.console-gap', severity: 'warning' }),
  f('tetra.console-update-failed', { message: 'unreachable', count: 1, server: 'tetra-defs.amp.cisco.com' }, { severity: 'warning' }),
  f('tetra.console-update-failed', { message: 'network-timeout', count: 1, server: 'tetra-defs.amp.cisco.com', lastUpdated: '2023-05-16 07:45:02 UTC' }, { kind: 'tetra.unknown-error', severity: 'warning' }),
  f('tetra.console-update-failed', { message: 'other', count: 1, server: 'tetra-defs.amp.cisco.com' }, { severity: 'warning' }),
  f('connector.forceupdate-unsupported', { version: '6.3.1', since: '7.2.7' }, { severity: 'information' }),
  f('isolation.active', { source: 'registry', unlockCodeLength: 6 }, { severity: 'warning' }),
  f('isolation.active', { source: 'client', notIsolatedSaidBy: 'console' }, { severity: 'warning', actions: [{ id: 'delete-isolation-state', command: 'sudo rm x' }] }),
  f('isolation.invalid-unlock-code', { code: 3240624137, hex: '0xC1280009', count: 2, attempts: 5, waitMinutes: 30 }),
  f('isolation.unlock-limit-reached', { type: 553648215, count: 1, waitMinutes: 30 }, { severity: 'warning' }),
  f('isolation.unsupported-connector', { platform: 'windows', version: '6.3.1', minimum: '7.0.5' }, { kind: 'isolation.version', severity: 'warning' }),
  f('isolation.unsupported-connector', { platform: 'windows', architecture: 'X86-based PC', version: '8.1.7' }, { kind: 'isolation.32-bit', severity: 'warning' }),
  f('curl.failed', { host: 'tetra-defs.amp.cisco.com', exit: 7, exitName: 'CURLE_COULDNT_CONNECT' }, { kind: 'curl.connect-failed' }),
  f('curl.failed', { host: 'tetra-defs.amp.cisco.com', exit: 56, proxyStatus: 407 }, { kind: 'curl.proxy-auth' }),
  f('curl.failed', { host: 'tetra-defs.amp.cisco.com', status: 403, proxy: 0 }, { kind: 'curl.http-status', severity: 'warning' }),
];

/** Every `missing.*` id core/bundle/inventory.ts gives. */
const MISSING_IDS = [
  'missing.connector-log',
  'missing.debug-log',
  'missing.policy-xml',
  'missing.local-xml',
  'missing.dns-output',
  'missing.curl-output',
  'missing.cipher-suites',
  'missing.packet-capture',
  'missing.definition-version',
  'missing.av-definition-summary',
  'missing.registry-export',
  'missing.isolation-state',
  'missing.connector-version',
];

describe('render: bundle findings, actions and missing items in words', () => {
  it('every bundle rule id has its own message, ending with the next step, every argument filled', () => {
    for (const rule of BUNDLE_RULES) assert.ok(SAMPLES.some((s) => s.id === rule.id), `a sample for ${rule.id}`);
    for (const s of SAMPLES) {
      const m = findingMessage(s);
      assert.notEqual(m, s.id);
      assert.match(m, /[.)]$/, `${s.id}: "${m}"`);
      assert.ok(!/undefined|NaN|\{\d\}/.test(m), `${s.id}: "${m}"`);
      const t = findingTitle(s);
      assert.ok(t.length > 0 && t.length <= 120 && t !== s.id && !/undefined|\{\d\}/.test(t), `${s.id}: title "${t}"`);
    }
  });

  it('variants say what their arguments say', () => {
    const crl = findingMessage(f('tls.revocation-offline', { host: 'h.example', code: '0x80092013', count: 1, crlCheck: 1 }));
    assert.match(crl, /policy turns CRL checking on/);
    assert.doesNotMatch(findingMessage(SAMPLES[2]!), /policy turns CRL/);
    assert.match(findingMessage(SAMPLES[10]!), /-3000/);
    assert.match(findingMessage(SAMPLES[10]!), /Get-TlsCipherSuite/);
    assert.match(findingMessage(SAMPLES[13]!), /6 characters, not shown/);
    assert.match(findingMessage(SAMPLES[14]!), /endpoint_isolation\.xml/);
    assert.match(findingMessage(SAMPLES[18]!), /64-bit/);
    assert.match(findingMessage(SAMPLES[20]!), /407/);
    // The log's own findings of the same ids keep their messages.
    assert.match(findingMessage(f('isolation.active', { since: '2023-06-01 10:04:12' })), /started at 2023-06-01 10:04:12/);
    assert.match(findingMessage(f('tls.revocation-offline', { count: 2, first: 'a', last: 'b' })), /2 times from a to b/);
    assert.match(findingMessage(f('isolation.unlock-limit-reached', { type: 553648215, count: 1, first: 'a', last: 'a' })), /event type 553648215/);
  });

  it('a relation to another file is said after the message, with its 1-based line', () => {
    const m = findingMessage(
      f('tetra.update-failed', { status: -3000, count: 1, first: 'a', last: 'a', explainedBy: 'tls.cipher-suites-missing', explainedByFile: 'ciphers.txt', explainedByLine: 1, related: 'local.lasterror', relatedFile: 'local.xml', relatedLine: 7 }),
    );
    assert.match(m, / Explained by ciphers\.txt line 1: none of the cipher suites the TETRA update server accepts is offered\. Also seen in local\.xml line 7 \(local\.xml's lasterror, the same status\)\.$/);
  });

  it('every command of the bundle rules has its own title', () => {
    const ids = new Set(Object.values(BUNDLE_ACTIONS).flatMap((list) => list.map((a) => a.id)));
    for (const id of ['delete-unlock-code', 'delete-isolation-state', 'daemon-unload', 'daemon-load', 'force-update', 'unlock']) ids.add(id);
    for (const id of ids) assert.doesNotMatch(actionTitle(id, 'the command'), /^Copy: /, id);
  });

  it('every missing item says what is missing and why, in words of its own', () => {
    for (const id of MISSING_IDS) {
      const item: MissingItem = { id, args: { server: 'tetra-defs.amp.cisco.com', logs: 2, interval: 3600, expected: 0, since: '8.1.3', reason: 'unknown-error' }, how: 'x' };
      const t = missingItemText(item);
      assert.ok(!t.startsWith('Missing for this case') && t.length > 40 && !/undefined|\{\d\}/.test(t), `${id}: "${t}"`);
    }
    assert.match(missingItemText({ id: 'missing.debug-log', args: { logs: 1, interval: 3600 }, how: '' }), /60 minutes/);
    assert.match(missingItemText({ id: 'missing.policy-xml', args: { expected: 1, since: '8.1.3', connectorVersion: '8.1.7.21417', where: 'console' }, how: '' }), /expected from connector 8\.1\.3 on \(this one is 8\.1\.7\.21417\)/);
  });
});

describe('report: a case folder', () => {
  it('has the Inventory and Missing for this case sections, each missing command in a code block', async () => {
    const r = diagnoseResult('case-lasterror', await analyzePath(fixture('case-lasterror')));
    const md = r.markdown;
    const sections = ['## Inventory', '### Connector logs', '### Command outputs recognised', '## Findings', '## Missing for this case'];
    let at = -1;
    for (const s of sections) {
      const i = md.indexOf(s);
      assert.ok(i > at, `${s} in order`);
      at = i;
    }
    assert.match(md, /\*\*Platform:\*\* Windows/);
    assert.match(md, /\*\*Connector versions:\*\* 8\.1\.7\.21417/);
    assert.match(md, /\*\*local\.xml:\*\* `local\.xml`/);
    assert.match(md, /\*\*policy\.xml:\*\* not in the bundle/);
    // The log with its time span and "not in debug".
    assert.match(md, /\| `Cisco\/AMP\/8\.1\.7\.21417\/sfc\.exe\.log` \| 8\.1\.7\.21417 \| \d+ \| 2026-08-04 07:30:23 \| 2026-08-04 07:30:23 \| no \| 1 \(1 \/ 0\) \|/);
    assert.match(md, /- Get-TlsCipherSuite — `ciphers\.txt` line 1/);
    const missing = md.slice(md.indexOf('## Missing for this case'));
    assert.match(missing, /- No DNS lookup of the TETRA update server tetra-defs\.amp\.cisco\.com[^\n]*\n\n {2}```\n {2}Resolve-DnsName -Name tetra-defs\.amp\.cisco\.com\n {2}```/);
    assert.match(missing, /In the console: `Management > Policies`/);
    // Debug logging: two commands in one block.
    assert.match(missing, /```\n {2}& 'C:\\Program Files\\Cisco\\AMP\\8\.1\.7\.21417\\sfc\.exe' -l start\n {2}& '[^\n]*ipsupporttool\.exe'[^\n]*\n {2}```/);
    // Findings from the bundle's one list, errors first, related across files.
    assert.equal(r.findings[0]?.severity, 'error');
    assert.ok(r.findings.some((x) => x.id === 'tls.cipher-suites-missing'));
    assert.match(md, /Explained by ciphers\.txt line 1/);
    assert.equal(r.findings.find((x) => x.id === 'log.debug-disabled')?.file, 'Cisco/AMP/8.1.7.21417/sfc.exe.log');
    // The inventory as plain data for the client.
    assert.equal(r.inventory?.platform, 'windows');
    assert.equal(r.inventory?.logs[0]?.debug, false);
    assert.equal(r.inventory?.logs[0]?.first, '2026-08-04T07:30:23');
  });

  it('keeps the Timelines section for rotated logs', async () => {
    const md = diagnoseResult('rotated', await analyzePath(fixture('rotated'))).markdown;
    assert.match(md, /## Inventory/);
    assert.match(md, /## Timelines/);
    assert.ok(md.indexOf('## Timelines') < md.indexOf('## Findings'));
  });

  it('the healthy case: nothing wrong, and what is still missing', async () => {
    const r = diagnoseResult('case-healthy', await analyzePath(fixture('case-healthy')));
    assert.ok(!r.findings.some((x) => x.severity === 'error' || x.severity === 'warning'));
    assert.match(r.markdown, /## Missing for this case/);
    assert.match(r.markdown, /- curl -v — `curl\.txt` line \d+/);
  });

  it('never holds an unlock code', async () => {
    const r = diagnoseResult('case-isolation', await analyzePath(fixture('case-isolation')));
    assert.ok(!JSON.stringify(r).toLowerCase().includes('k3vq9m'));
    assert.match(r.markdown, /unlock\\_code value \\\(6 characters, not shown\\\)/);
  });

  it('file names from the bundle stay inside their code spans', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-report-'));
    const name = 'dns |*out*_[1](x)`.txt';
    copyFileSync(fixture('case-dns-failed', 'resolve.txt'), path.join(dir, name));
    const md = diagnoseResult(dir, await analyzePath(dir)).markdown;
    assert.ok(md.includes(codeSpan(name)));
    // Everywhere the name appears outside a code span, the message escaped it.
    for (const line of md.split('\n')) {
      const outside = line.split(codeSpan(name)).join('');
      assert.ok(!outside.includes(name), line);
    }
  });
});
