import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzePath } from '../../src/core/bundle/inputs';
import { ISOLATION_STEPS, ISOLATION_VERDICTS, diagnoseIsolation } from '../../src/core/diagnose/isolation';
import { TETRA_STEPS, TETRA_VERDICTS, diagnoseTetra } from '../../src/core/diagnose/tetra';
import type { Diagnosis, DiagnosisStep, IsolationDiagnosis, IsolationVerdict, TetraDiagnosis, TetraVerdict } from '../../src/core/diagnose/types';
import { MAX_STEP_EVIDENCE, MAX_VERDICT_EVIDENCE } from '../../src/core/diagnose/util';
import type { Evidence } from '../../src/core/types';
import { diagnosisActionTitle, diagnosisMarkdown, settleText, stepMessage, stepStatusText, stepTitle, verdictSummary, verdictTitle } from '../../src/shared/render-diagnosis';
import { FIXTURES, fixture } from '../support/paths';

// ---------------------------------------------------------------------------------------------
// Helpers

async function tetraOf(dir: string): Promise<TetraDiagnosis> {
  return diagnoseTetra(await analyzePath(dir));
}

async function isolationOf(dir: string): Promise<IsolationDiagnosis> {
  return diagnoseIsolation(await analyzePath(dir));
}

function step(d: Diagnosis<string>, id: string): DiagnosisStep {
  const s = d.steps.find((x) => x.id === id);
  assert.ok(s, `step ${id} in ${d.steps.map((x) => x.id).join(', ')}`);
  return s;
}

/** The lines of a file as an editor shows them (UTF-8 or UTF-16 LE with BOM; LF, CRLF or CR). */
function linesOf(file: string): string[] {
  const bytes = readFileSync(file);
  const text = bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8');
  return text.split(/\r\n|\r|\n/);
}

/** The 0-based line of the first line of `file` (under `root`) holding `needle`. */
function lineOf(root: string, rel: string, needle: string): number {
  const i = linesOf(path.join(root, ...rel.split('/'))).findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} in ${rel}`);
  return i;
}

/** Some evidence points at the line of `rel` holding `needle`. */
function pointsAt(evidence: readonly Evidence[], root: string, rel: string, needle: string): void {
  const line = lineOf(root, rel, needle);
  assert.ok(
    evidence.some((e) => e.file === rel && e.range.start.line === line),
    `evidence at ${rel}:${line + 1} (${needle}) in ${JSON.stringify(evidence.map((e) => `${e.file}:${e.range.start.line + 1}`))}`,
  );
}

function tempCase(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bl-diagnose-'));
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, ...rel.split('/'));
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

/** Every step in the playbook's order; unknown steps carry what would settle them; evidence bounded. */
function assertShape(d: Diagnosis<string>, order: readonly string[]): void {
  assert.deepEqual(
    d.steps.map((s) => s.id),
    [...order],
  );
  for (const s of d.steps) {
    assert.ok(s.evidence.length <= MAX_STEP_EVIDENCE, `${s.id} evidence bounded`);
    if (s.status === 'unknown') {
      assert.ok(s.settle, `${s.id} unknown without settle`);
      assert.ok(s.settle.how.trim().length > 0, `${s.id} settle.how`);
    }
    for (const e of s.evidence) assert.ok(e.file.length > 0 && !path.isAbsolute(e.file), `${s.id} evidence file is relative: ${e.file}`);
  }
  assert.ok(d.evidence.length <= MAX_VERDICT_EVIDENCE);
}

const F = (name: string) => fixture(name);
const T = '\t';
const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);

// ---------------------------------------------------------------------------------------------
// TETRA (BRIEF §4.1)

describe('diagnoseTetra: one fixture per verdict', () => {
  it('healthy: definitions current, every check passes (case-healthy)', async () => {
    const root = F('case-healthy');
    const d = await tetraOf(root);
    assertShape(d, TETRA_STEPS);
    assert.equal(d.verdict, 'healthy');
    assert.equal(d.args['current'], 90606);
    assert.equal(d.args['newest'], 90606);
    assert.ok(!d.steps.some((s) => s.status === 'fail'));
    const connected = step(d, 'tetra.connected');
    assert.equal(connected.status, 'pass');
    pointsAt(connected.evidence, root, 'posture.txt', '"connected":true');
    const defs = step(d, 'tetra.definitions');
    assert.equal(defs.reason, 'current');
    pointsAt(defs.evidence, root, 'console.txt', 'daily version: 90606');
    pointsAt(defs.evidence, root, 'avdefs.txt', '90606');
    assert.equal(step(d, 'tetra.dns').status, 'pass');
    pointsAt(step(d, 'tetra.dns').evidence, root, 'resolve.txt', '198.51.100.20');
    const tls = step(d, 'tetra.tls');
    assert.equal(tls.reason, 'http-ok');
    pointsAt(tls.evidence, root, 'curl.txt', 'HTTP/1.1 200 OK');
    const ciphers = step(d, 'tetra.cipher-suites');
    assert.equal(ciphers.status, 'pass');
    assert.equal(ciphers.args['suite'], 'TLS_AES_128_GCM_SHA256');
    pointsAt(ciphers.evidence, root, 'ciphers.txt', 'TLS_AES_128_GCM_SHA256');
    assert.equal(step(d, 'tetra.update-server').args['region'], 'nam');
    assert.equal(step(d, 'tetra.collect').status, 'pass');
    assert.deepEqual(d.actions, []);
  });

  it('not-connected: the console last saw the endpoint days before the newest definitions it lists', async () => {
    const root = F('verdict-not-connected');
    const d = await tetraOf(root);
    assertShape(d, TETRA_STEPS);
    assert.equal(d.verdict, 'not-connected');
    const s = step(d, 'tetra.connected');
    assert.equal(s.status, 'fail');
    assert.equal(s.reason, 'not-seen');
    assert.equal(s.args['lastSeen'], '2024-01-03 09:12:44 UTC');
    assert.ok(Number(s.args['hoursSince']) > 200);
    pointsAt(s.evidence, root, 'console.txt', 'Last Seen');
    pointsAt(s.evidence, root, 'av-definitions.txt', '91360');
    pointsAt(d.evidence, root, 'console.txt', 'Last Seen');
    // The definitions are far behind too, but being off the cloud comes first (BRIEF §4.1 step 1).
    assert.equal(step(d, 'tetra.definitions').reason, 'behind');
    assert.equal(step(d, 'tetra.definitions').args['versionsBehind'], 38);
    assert.equal(step(d, 'tetra.definitions').args['daysBehind'], 9.5);
    const posture = d.actions.find((a) => a.id === 'posture');
    assert.equal(posture?.command, `& 'C:\\Program Files\\Cisco\\AMP\\8.2.3.30119\\AmpCLI.exe' posture`);
  });

  it('dns: the update server does not resolve (case-dns-failed)', async () => {
    const root = F('case-dns-failed');
    const d = await tetraOf(root);
    assertShape(d, TETRA_STEPS);
    assert.equal(d.verdict, 'dns');
    assert.equal(d.args['name'], 'tetra-defs.amp.cisco.com');
    assert.equal(d.args['error'], 'name-error');
    const s = step(d, 'tetra.dns');
    assert.equal(s.status, 'fail');
    pointsAt(s.evidence, root, 'resolve.txt', 'DNS name does not exist');
    assert.deepEqual(
      d.actions.map((a) => a.id),
      ['resolve-name', 'show-dns-servers', 'curl-update-server'],
    );
    assert.equal(d.actions[0]!.command, 'Resolve-DnsName -Name tetra-defs.amp.cisco.com');
  });

  it('tls-revocation: curl fails with 0x80092013 and the policy checks CRLs (case-revocation)', async () => {
    const root = F('case-revocation');
    const d = await tetraOf(root);
    assertShape(d, TETRA_STEPS);
    assert.equal(d.verdict, 'tls-revocation');
    assert.equal(d.args['code'], '0x80092013');
    assert.equal(d.args['crlCheck'], 1);
    const s = step(d, 'tetra.tls');
    assert.equal(s.reason, 'revocation');
    pointsAt(s.evidence, root, 'curl.txt', '* schannel: next InitializeSecurityContext failed');
    pointsAt(s.evidence, root, 'policy.xml', '<crlc>1</crlc>');
    // The policy names the server; curl connected to it, so its name resolves.
    assert.equal(step(d, 'tetra.update-server').args['via'], 'policy');
    assert.equal(step(d, 'tetra.dns').reason, 'curl-connected');
    const ids = d.actions.map((a) => a.id);
    assert.deepEqual(ids.slice(0, 3), ['allow-revocation-hosts', 'curl-ocsp', 'curl-crl']);
  });

  it('tls-cipher-mismatch: no accepted suite, Handshake Failure after the Client Hello (case-ciphers)', async () => {
    const root = F('case-ciphers');
    const d = await tetraOf(root);
    assertShape(d, TETRA_STEPS);
    assert.equal(d.verdict, 'tls-cipher-mismatch');
    const s = step(d, 'tetra.cipher-suites');
    assert.equal(s.reason, 'suites-missing');
    assert.equal(s.args['afterClientHello'], 1);
    pointsAt(s.evidence, root, 'ciphers.txt', 'Get-TlsCipherSuite');
    pointsAt(s.evidence, root, 'wireshark.txt', 'Alert (Level: Fatal, Description: Handshake Failure) |');
    assert.equal(step(d, 'tetra.tls').reason, 'handshake');
    assert.equal(step(d, 'tetra.collect').args['capture'], 1);
    assert.ok(d.actions.some((a) => a.id === 'cipher-suite-order-policy' && /SSL Cipher Suite Order/.test(a.command ?? '')));
  });

  it('tls-cipher-mismatch explains -3000: the log status and lasterror are not proxy statuses (case-lasterror)', async () => {
    const root = F('case-lasterror');
    const d = await tetraOf(root);
    assert.equal(d.verdict, 'tls-cipher-mismatch');
    const proxy = step(d, 'tetra.proxy');
    assert.equal(proxy.status, 'pass');
    assert.equal(proxy.reason, 'other-status');
    assert.equal(proxy.args['status'], -3000);
    pointsAt(proxy.evidence, root, 'local.xml', '<lasterror>');
    assert.equal(step(d, 'tetra.cipher-suites').args['relevant'], 1);
    // Connector 8.1.7 (version folder): -forceupdate runs from it.
    assert.equal(d.actions.at(-1)?.command, `& 'C:\\Program Files\\Cisco\\AMP\\8.1.7.21417\\sfc.exe' -forceupdate`);
  });

  it('proxy-connect: -2103 in the log and lasterror; a later update succeeded (proxy-bundle)', async () => {
    const root = F('proxy-bundle');
    const log = 'Cisco/AMP/8.1.7.21417/sfc.exe.log';
    const d = await tetraOf(root);
    assertShape(d, TETRA_STEPS);
    assert.equal(d.verdict, 'proxy-connect');
    assert.equal(d.args['status'], -2103);
    assert.equal(d.args['value'], 4294965193);
    assert.equal(d.args['recovered'], 1);
    const s = step(d, 'tetra.proxy');
    assert.equal(s.args['count'], 3);
    // The newest failing attempt first, then local.xml's lasterror.
    const logLines = linesOf(path.join(root, ...log.split('/')));
    const lastFailure = logLines.length - 1 - [...logLines].reverse().findIndex((l) => l.includes('status: -2103'));
    assert.equal(s.evidence[0]!.file, log);
    assert.equal(s.evidence[0]!.range.start.line, lastFailure);
    pointsAt(s.evidence, root, 'local.xml', '<lasterror>4294965193</lasterror>');
    assert.equal(step(d, 'tetra.definitions').reason, 'log-updated');
    assert.equal(step(d, 'tetra.definitions').args['version'], 90611);
    assert.ok(d.actions.some((a) => a.id === 'read-lasterror'));
  });

  it('proxy-auth: -2100 in a CRLF log of a 7.4.5 folder and in lasterror (verdict-proxy-auth)', async () => {
    const root = F('verdict-proxy-auth');
    const log = 'Program Files/Cisco/AMP/7.4.5.20701/sfc.exe.log';
    const d = await tetraOf(root);
    assertShape(d, TETRA_STEPS);
    assert.equal(d.verdict, 'proxy-auth');
    assert.equal(d.args['status'], -2100);
    const s = step(d, 'tetra.proxy');
    assert.equal(s.reason, 'auth');
    assert.equal(s.args['count'], 2);
    pointsAt(s.evidence, root, log, '14:05:12 [2716]: PerformTetraUpdate: bUpdated = FALSE');
    pointsAt(s.evidence, root, 'local.xml', '4294965196');
    assert.equal(step(d, 'tetra.definitions').reason, 'last-attempt-failed');
    assert.equal(step(d, 'tetra.definitions').args['time'], '2024-10-14 14:05:12');
    assert.equal(d.actions[0]!.id, 'check-proxy-credentials');
    assert.ok(d.actions.some((a) => a.command === `& 'C:\\Program Files\\Cisco\\AMP\\7.4.5.20701\\sfc.exe' -forceupdate`));
  });

  it('proxy-download: -2109 in a UTF-16 log, commands aimed at the policy\'s own update server (verdict-proxy-download)', async () => {
    const root = F('verdict-proxy-download');
    const log = 'Program Files/Cisco/AMP/8.2.1.21650/sfc.exe.log';
    const d = await tetraOf(root);
    assertShape(d, TETRA_STEPS);
    assert.equal(d.verdict, 'proxy-download');
    pointsAt(step(d, 'tetra.proxy').evidence, root, log, 'status: -2109');
    pointsAt(step(d, 'tetra.proxy').evidence, root, 'Program Files/Cisco/AMP/local.xml', '4294965187');
    const server = step(d, 'tetra.update-server');
    assert.equal(server.reason, 'custom');
    assert.equal(server.args['host'], 'tetra-mirror.plant.example');
    pointsAt(server.evidence, root, 'Program Files/Cisco/AMP/policy.xml', '<server>');
    assert.equal(step(d, 'tetra.dns').settle?.how, 'Resolve-DnsName -Name tetra-mirror.plant.example');
    assert.ok(d.actions.some((a) => a.command === 'curl.exe -v https://tetra-mirror.plant.example'));
    assert.ok(!JSON.stringify(d.actions).includes('tetra-defs.amp.cisco.com'));
    assert.equal(step(d, 'tetra.collect').args['interval'], 7200);
  });

  it('network-timeout: -3000 with no cipher-suite evidence yet (seed-001)', async () => {
    const root = F('seed-001');
    const d = await tetraOf(root);
    assertShape(d, TETRA_STEPS);
    assert.equal(d.verdict, 'network-timeout');
    assert.equal(d.args['status'], -3000);
    assert.equal(d.args['source'], 'log');
    pointsAt(d.evidence, root, 'sfc.exe.log', '20, status: -3000');
    assert.equal(step(d, 'tetra.definitions').reason, 'missing');
    const ciphers = step(d, 'tetra.cipher-suites');
    assert.equal(ciphers.status, 'unknown');
    assert.equal(ciphers.args['relevant'], 1);
    assert.equal(ciphers.settle?.how, 'Get-TlsCipherSuite | ft name');
    assert.deepEqual(
      d.actions.map((a) => a.id).slice(0, 2),
      ['list-cipher-suites', 'curl-update-server'],
    );
  });

  it('unknown: failing definitions with nothing that says why (case-stale)', async () => {
    const d = await tetraOf(F('case-stale'));
    assert.equal(d.verdict, 'unknown');
    assert.equal(d.args['failingStep'], 'tetra.definitions');
    assert.equal(d.args['reason'], 'behind');
    assert.equal(step(d, 'tetra.connected').reason, 'console-lagging');
    assert.ok(d.actions.some((a) => a.id === 'resolve-update-server'));
  });
});

describe('diagnoseTetra: precedence (the first failure on the way to the server)', () => {
  const resolveFailed = (host: string) => `PS C:\\> Resolve-DnsName -Name ${host}\nResolve-DnsName : ${host} : DNS name does not exist\n`;
  const curlRevocation = readFileSync(F('case-revocation/curl.txt'));
  const localXml = (value: number) => `<?xml version="1.0"?>\n<config>\n  <agent><uuid>0a1b2c3d-0000-4000-8000-000000000001</uuid></agent>\n  <tetra>\n    <lasterror>${value}</lasterror>\n  </tetra>\n</config>\n`;

  it('a DNS failure comes before the revocation failure it explains', async () => {
    const d = await tetraOf(tempCase({ 'dns.txt': resolveFailed('tetra-defs.amp.cisco.com'), 'curl.txt': curlRevocation }));
    assert.equal(d.verdict, 'dns');
    assert.equal(step(d, 'tetra.tls').reason, 'revocation');
  });

  it('a proxy the connector cannot reach comes before curl\'s TLS evidence', async () => {
    const d = await tetraOf(tempCase({ 'local.xml': localXml(4294965193), 'curl.txt': curlRevocation }));
    assert.equal(d.verdict, 'proxy-connect');
    assert.equal(d.args['source'], 'local.xml');
  });

  it('commands read local.xml from the registry\'s InstallDir', async () => {
    const reg = 'Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect]\n"InstallDir"="E:\\\\Security\\\\AMP\\\\"\n';
    const d = await tetraOf(tempCase({ 'local.xml': localXml(4294965193), 'immunet.reg': reg }));
    assert.equal(d.actions.find((a) => a.id === 'read-lasterror')?.command, "(Select-Xml -Path 'E:\\Security\\AMP\\local.xml' -XPath '//tetra/lasterror').Node.InnerText");
  });

  it('with proxy statuses, the endpoint\'s own lookup of the update server does not decide (the proxy resolves it)', async () => {
    const d = await tetraOf(tempCase({ 'local.xml': localXml(4294965196), 'dns.txt': resolveFailed('tetra-defs.amp.cisco.com') }));
    const dns = step(d, 'tetra.dns');
    assert.equal(dns.status, 'unknown');
    assert.equal(dns.reason, 'via-proxy');
    assert.equal(d.verdict, 'proxy-auth');
  });

  it('a revocation failure explains a download that fails through the proxy (-2109)', async () => {
    const d = await tetraOf(tempCase({ 'local.xml': localXml(4294965187), 'curl.txt': curlRevocation }));
    assert.equal(d.verdict, 'tls-revocation');
    assert.equal(step(d, 'tetra.proxy').reason, 'download');
  });

  it('the verdict table lists each verdict once, with its source in the BRIEF', () => {
    const verdicts = TETRA_VERDICTS.map((r) => r.verdict);
    assert.equal(new Set(verdicts).size, verdicts.length);
    const all: TetraVerdict[] = ['healthy', 'not-connected', 'dns', 'tls-revocation', 'tls-cipher-mismatch', 'proxy-connect', 'proxy-auth', 'proxy-download', 'network-timeout'];
    assert.deepEqual([...verdicts].sort(), [...all].sort());
    for (const r of TETRA_VERDICTS) assert.match(r.source, /BRIEF §/);
    const iso = ISOLATION_VERDICTS.map((r) => r.verdict);
    const allIso: IsolationVerdict[] = ['not-isolated', 'isolated', 'isolated-unlock-failing', 'unlock-locked-out', 'unsupported'];
    assert.deepEqual([...iso].sort(), [...allIso].sort());
    for (const r of ISOLATION_VERDICTS) assert.match(r.source, /BRIEF §/);
  });
});

describe('diagnoseTetra: generalisation (other dates, versions, hosts, encodings)', () => {
  it('posture connected: false decides not-connected, pointing at the value', async () => {
    const posture = 'PS C:\\Program Files\\Cisco\\AMP\\8.3.1.30002> .\\AmpCLI.exe posture\n{"agent_uuid":"77777777-1111-4222-8333-944444444444","connected":false,"connector_version":"8.3.1"}\n';
    const root = tempCase({ 'posture.txt': crlf(posture) });
    const d = await tetraOf(root);
    assert.equal(d.verdict, 'not-connected');
    assert.equal(step(d, 'tetra.connected').reason, 'disconnected');
    pointsAt(step(d, 'tetra.connected').evidence, root, 'posture.txt', '"connected":false');
    assert.ok(d.actions.some((a) => a.command === `& 'C:\\Program Files\\Cisco\\AMP\\8.3.1\\AmpCLI.exe' posture`) || d.actions.some((a) => a.id === 'posture'));
  });

  it('an EU update server that does not resolve (nslookup, UTF-16 policy from another cloud)', async () => {
    const host = 'tetra-defs.eu.amp.cisco.com';
    const policy = readFileSync(F('case-revocation/policy.xml'), 'utf8').replace('<server>tetra-defs.amp.cisco.com</server>', `<server>${host}</server>`).replace('<crlc>1</crlc>', '<crlc>0</crlc>');
    const nslookup = `C:\\Users\\admin>nslookup ${host}\nServer:  dc01.corp.example\nAddress:  10.0.0.10\n\n*** dc01.corp.example can't find ${host}: Non-existent domain\n`;
    const root = tempCase({ 'policy.xml': policy, 'nslookup.txt': utf16(crlf(nslookup)) });
    const d = await tetraOf(root);
    assert.equal(d.verdict, 'dns');
    assert.equal(d.args['name'], host);
    assert.equal(step(d, 'tetra.update-server').args['region'], 'eu');
    pointsAt(step(d, 'tetra.dns').evidence, root, 'nslookup.txt', "can't find");
    assert.equal(d.actions[0]!.command, `Resolve-DnsName -Name ${host}`);
  });

  it('the console\'s "network timeout" alone is -3000 (source console)', async () => {
    const console = [
      `Hostname${T}LAPTOP-OPS3${T}Group${T}Ops`,
      `Connector Version${T}8.4.0.30512${T}Internal IP${T}10.9.8.7`,
      `Connector GUID${T}0f0e0d0c-0b0a-4909-8807-060504030201${T}Last Seen${T}2025-07-30 06:11:00 UTC`,
      `Definition Version${T}TETRA 64 bit (daily version: 93012)`,
      `Definitions Last Updated${T}2025-07-30 05:40:12 UTC ▲ Failed Failed to update due to network timeout. Check your network, firewall or proxy settings.${T}Update Server${T}tetra-defs.amp.cisco.com`,
    ].join('\n');
    const root = tempCase({ 'details.txt': console });
    const d = await tetraOf(root);
    assert.equal(d.verdict, 'network-timeout');
    assert.equal(d.args['source'], 'console');
    assert.equal(step(d, 'tetra.definitions').reason, 'console-failed');
    assert.equal(step(d, 'tetra.definitions').args['message'], 'network-timeout');
    pointsAt(step(d, 'tetra.definitions').evidence, root, 'details.txt', 'network timeout');
  });

  it('a connector older than 7.2.7 gets no -forceupdate; the client\'s Update Now is the only way', async () => {
    const root = tempCase({ 'Cisco/AMP/6.3.7/sfc.exe.log': readFileSync(F('seed-001/sfc.exe.log')) });
    const d = await tetraOf(root);
    const s = step(d, 'tetra.force-update');
    assert.equal(s.status, 'unknown');
    assert.equal(s.reason, 'older-connector');
    assert.equal(s.args['version'], '6.3.7');
    assert.ok(s.settle);
    assert.ok(!d.actions.some((a) => a.id === 'force-update'));
  });

  it('a proxy named by the client\'s status goes into the commands; macOS gets curl, not curl.exe', async () => {
    const status = '$ /opt/cisco/amp/ampcli status\nStatus:                     Connected\nMode:                       Default\nProxy:                      proxy.branch.example:3128\nFaults:                     None\n';
    const d = await tetraOf(tempCase({ 'status.txt': status, 'local.xml': '<config>\n<agent><uuid>u</uuid></agent>\n<tetra><lasterror>4294965193</lasterror></tetra>\n</config>\n', 'sw_vers.txt': 'ProductName:    macOS\nProductVersion: 14.2\n' }));
    assert.equal(d.verdict, 'proxy-connect');
    assert.equal(d.args['proxy'], 'proxy.branch.example');
    const viaProxy = d.actions.find((a) => a.id === 'curl-via-proxy');
    // The port the client names goes with the host (curl's own default proxy port is 1080).
    assert.equal(viaProxy?.command, 'curl -v -x http://proxy.branch.example:3128 https://tetra-defs.amp.cisco.com');
    assert.ok(!d.actions.some((a) => /sfc\.exe|Select-Xml|\.exe\b/.test(a.command ?? '')));
  });
});

// ---------------------------------------------------------------------------------------------
// Isolation (BRIEF §4.2)

describe('diagnoseIsolation: one fixture per verdict', () => {
  it('not-isolated: reg query finds no unlock_code; client and console say Not Isolated (verdict-not-isolated)', async () => {
    const root = F('verdict-not-isolated');
    const d = await isolationOf(root);
    assertShape(d, ISOLATION_STEPS);
    assert.equal(d.verdict, 'not-isolated');
    const s = step(d, 'isolation.state');
    assert.equal(s.status, 'pass');
    assert.equal(s.args['source'], 'registry');
    pointsAt(s.evidence, root, 'reg-query.txt', 'unable to find');
    const verify = step(d, 'isolation.verify');
    assert.equal(verify.reason, 'client-and-console');
    pointsAt(verify.evidence, root, 'client-status.txt', 'Isolation: Not Isolated');
    pointsAt(verify.evidence, root, 'console.txt', 'Not Isolated');
    assert.equal(step(d, 'isolation.recovery').reason, 'not-needed');
    assert.deepEqual(d.actions, []);
  });

  it('isolated: the registry holds unlock_code (UTF-16 export) and the log started isolation; commands use InstallDir (verdict-isolated)', async () => {
    const root = F('verdict-isolated');
    const log = 'Program Files/Cisco/AMP/7.4.5.20701/sfc.exe.log';
    const d = await isolationOf(root);
    assertShape(d, ISOLATION_STEPS);
    assert.equal(d.verdict, 'isolated');
    const s = step(d, 'isolation.state');
    assert.equal(s.args['source'], 'registry');
    pointsAt(s.evidence, root, 'immunet.reg', '"unlock_code"');
    pointsAt(s.evidence, root, log, 'type=553648202');
    assert.equal(step(d, 'isolation.supported').status, 'pass');
    assert.equal(step(d, 'isolation.recovery').reason, 'console-then-unlock-code');
    const unlock = d.actions.find((a) => a.id === 'unlock');
    assert.equal(unlock?.command, `& 'D:\\Apps\\Cisco\\AMP\\7.4.5.20701\\sfc.exe' -n <unlock code>`);
    assert.equal(d.actions.find((a) => a.id === 'delete-jobs-db')?.args['path'], 'D:\\Apps\\Cisco\\AMP\\jobs.db');
    assert.equal(d.actions[0]!.id, 'console-stop-isolation');
    // The unlock code is never in a diagnosis nor in its words.
    const all = JSON.stringify(d) + diagnosisMarkdown(d);
    assert.ok(!all.includes('zr7pq2'));
  });

  it('isolated on macOS: the client says Isolated; the recovery is the state file and launchctl (case-mac-isolation)', async () => {
    const root = F('case-mac-isolation');
    const d = await isolationOf(root);
    assertShape(d, ISOLATION_STEPS);
    assert.equal(d.verdict, 'isolated');
    pointsAt(step(d, 'isolation.state').evidence, root, 'ampcli.txt', 'Isolation:');
    // 1.20.2 is below Mac 1.21.0: reported, but the endpoint the bundle shows isolated is isolated first.
    assert.equal(step(d, 'isolation.supported').status, 'fail');
    assert.equal(step(d, 'isolation.recovery').reason, 'macos-state-file');
    assert.deepEqual(
      d.actions.filter((a) => a.command).map((a) => a.command),
      [
        'sudo rm "/Library/Application Support/Cisco/Secure Endpoint/endpoint_isolation.xml"',
        'sudo launchctl unload /Library/LaunchDaemons/com.cisco.amp.daemon.plist',
        'sudo launchctl load /Library/LaunchDaemons/com.cisco.amp.daemon.plist',
      ],
    );
  });

  it('isolated-unlock-failing: Invalid unlock code, and reg delete answered Access is denied (verdict-unlock-failing)', async () => {
    const root = F('verdict-unlock-failing');
    const d = await isolationOf(root);
    assertShape(d, ISOLATION_STEPS);
    assert.equal(d.verdict, 'isolated-unlock-failing');
    assert.equal(d.args['reason'], 'invalid-code');
    assert.equal(d.args['code'], 3240624137);
    const attempts = step(d, 'isolation.unlock-attempts');
    assert.equal(attempts.reason, 'invalid-code');
    pointsAt(attempts.evidence, root, 'console.txt', '3240624137');
    const recovery = step(d, 'isolation.recovery');
    assert.equal(recovery.status, 'fail');
    assert.equal(recovery.reason, 'access-denied');
    pointsAt(recovery.evidence, root, 'reg-delete.txt', 'reg delete');
    const ids = d.actions.map((a) => a.id);
    assert.ok(ids.indexOf('safe-boot') >= 0 && ids.indexOf('safe-boot') < ids.indexOf('delete-unlock-code'));
    assert.equal(d.actions.find((a) => a.id === 'delete-unlock-code')?.command, 'reg delete "HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect" /v "unlock_code" /f');
  });

  it('isolated-unlock-failing from the console error alone: a rejected code says the endpoint was isolated (text)', async () => {
    const d = await isolationOf(F('text'));
    assert.equal(d.verdict, 'isolated-unlock-failing');
    assert.equal(step(d, 'isolation.state').status, 'unknown');
  });

  it('unlock-locked-out: Unlock Limit Reached after Invalid unlock code (case-isolation)', async () => {
    const root = F('case-isolation');
    const d = await isolationOf(root);
    assertShape(d, ISOLATION_STEPS);
    assert.equal(d.verdict, 'unlock-locked-out');
    assert.equal(d.args['waitMinutes'], 30);
    const attempts = step(d, 'isolation.unlock-attempts');
    assert.equal(attempts.reason, 'locked-out');
    pointsAt(attempts.evidence, root, 'console.txt', 'Unlock Limit Reached');
    pointsAt(attempts.evidence, root, 'console.txt', 'Invalid unlock code');
    assert.equal(d.actions[0]!.id, 'wait-unlock');
    assert.ok(d.actions.some((a) => a.id === 'unlock-after-wait' && a.command === `& 'C:\\Program Files\\Cisco\\AMP\\8.1.7.21417\\sfc.exe' -n <unlock code>`));
    assert.ok(!(JSON.stringify(d) + diagnosisMarkdown(d)).toLowerCase().includes('k3vq9m'));
  });

  it('unsupported: connector 6.3.1 is below Windows 7.0.5 (case-isolation-old)', async () => {
    const root = F('case-isolation-old');
    const d = await isolationOf(root);
    assertShape(d, ISOLATION_STEPS);
    assert.equal(d.verdict, 'unsupported');
    assert.deepEqual(d.args, { platform: 'windows', version: '6.3.1', minimum: '7.0.5' });
    pointsAt(step(d, 'isolation.supported').evidence, root, 'console.txt', 'Connector Version');
    assert.deepEqual(
      d.actions.map((a) => a.id),
      ['upgrade-connector'],
    );
  });

  it('a log whose last isolation event is a stop says not isolated; a later start says isolated', async () => {
    const line = (tick: number, time: string, type: number) => `(${tick}, +0 ms) ${time} [812]: imn::CEventManager::PublishEvent: publishing type=${type}`;
    const stopped = [line(1, 'Jul 02 09:00:00', 553648202), line(2, 'Jul 02 11:30:00', 553648204)].join('\n') + '\n';
    const d1 = await isolationOf(tempCase({ 'Cisco/AMP/8.0.1.21164/sfc.exe.log': stopped }));
    assert.equal(d1.verdict, 'not-isolated');
    assert.equal(d1.args['source'], 'log');
    const started = [line(1, 'Jul 02 09:00:00', 553648204), line(2, 'Jul 02 11:30:00', 553648202)].join('\r\n') + '\r\n';
    const root = tempCase({ 'Cisco/AMP/8.0.1.21164/sfc.exe.log': started });
    const d2 = await isolationOf(root);
    assert.equal(d2.verdict, 'isolated');
    pointsAt(step(d2, 'isolation.state').evidence, root, 'Cisco/AMP/8.0.1.21164/sfc.exe.log', '11:30:00');
    assert.equal(d2.actions.find((a) => a.id === 'unlock')?.command, `& 'C:\\Program Files\\Cisco\\AMP\\8.0.1.21164\\sfc.exe' -n <unlock code>`);
  });
});

describe('diagnose: a bundle with no evidence at all', () => {
  it('is unknown for both playbooks, every step unknown with what would settle it (verdict-empty)', async () => {
    const analysis = await analyzePath(F('verdict-empty'));
    for (const d of [diagnoseTetra(analysis), diagnoseIsolation(analysis)]) {
      assert.equal(d.verdict, 'unknown', d.playbook);
      assert.deepEqual(d.evidence, []);
      for (const s of d.steps) {
        assert.equal(s.status, 'unknown', `${d.playbook} ${s.id}`);
        assert.ok(s.settle && s.settle.how.length > 0, `${s.id} settle`);
        assert.deepEqual(s.evidence, []);
        assert.ok(settleText(s.settle).length > 0);
      }
    }
  });

  it('an analysis built by hand (no inventory, no bundle findings) is diagnosed the same way', () => {
    const analysis = { root: '/case', kind: 'folder' as const, files: [], findings: [], logSets: [], unreadable: [] };
    assert.equal(diagnoseTetra(analysis).verdict, 'unknown');
    assert.equal(diagnoseIsolation(analysis).verdict, 'unknown');
  });
});

// ---------------------------------------------------------------------------------------------
// Review regressions (issue 8 review: the reviewer's repro bundles as fixtures)

describe('diagnoseTetra: the connector\'s current state, not every line the bundle ever held', () => {
  it('seed 000: the newest Last Seen of several screenshots and posture connected:true; the expert answer is tls-revocation (verdict-seed-000)', async () => {
    const root = F('verdict-seed-000');
    const file = '000_4929ea8ec4d5a4cc.txt';
    const d = await tetraOf(root);
    assert.equal(d.verdict, 'tls-revocation');
    assert.equal(d.args['code'], '0x80092013');
    const connected = step(d, 'tetra.connected');
    assert.equal(connected.status, 'pass');
    assert.equal(connected.reason, 'posture');
    pointsAt(connected.evidence, root, file, '"connected":true');
    // The same server answers 200 in one run and 0x80092013 in the next: the failure stands.
    pointsAt(step(d, 'tetra.tls').evidence, root, file, 'curl: (35)');
  });

  it('seed 002: tls-revocation, and the 32-bit column (120765) is not the 64-bit endpoint\'s newest (verdict-seed-002)', async () => {
    const d = await tetraOf(F('verdict-seed-002'));
    assert.equal(d.verdict, 'tls-revocation');
    assert.equal(step(d, 'tetra.connected').status, 'pass');
    const defs = step(d, 'tetra.definitions');
    assert.equal(defs.args['newest'], 90606);
    assert.equal(defs.args['current'], 90604);
  });

  it('a log that updated days after the console\'s Last Seen overrides the stale console (verdict-console-stale)', async () => {
    const root = F('verdict-console-stale');
    const d = await tetraOf(root);
    assert.notEqual(d.verdict, 'not-connected');
    assert.equal(d.verdict, 'healthy');
    const s = step(d, 'tetra.connected');
    assert.equal(s.reason, 'log-updated');
    assert.equal(s.args['staleLastSeen'], '2024-02-28 09:00:00 UTC');
    pointsAt(s.evidence, root, 'console.txt', 'Last Seen');
    assert.match(stepMessage(s), /older than that/);
  });

  it('a failed update that recovered is history: healthy, the proxy step passes "recovered", the summary counts the earlier failure (verdict-recovered-proxy)', async () => {
    const root = F('verdict-recovered-proxy');
    const d = await tetraOf(root);
    assert.equal(d.verdict, 'healthy');
    assert.equal(d.args['recovered'], 1);
    assert.equal(d.args['earlierFailures'], 1);
    assert.equal(d.args['earlierStatus'], -2103);
    assert.match(verdictSummary(d), /one failed update attempt earlier \(status -2103\)/);
    const proxy = step(d, 'tetra.proxy');
    assert.equal(proxy.status, 'pass');
    assert.equal(proxy.reason, 'recovered');
    assert.equal(proxy.args['status'], -2103);
    pointsAt(proxy.evidence, root, 'local.xml', '<lasterror>0</lasterror>');
    assert.match(stepMessage(proxy), /history/);
    assert.deepEqual(d.actions, []);
  });

  it('an old -3000 in a rotated log is history when the live log updates and lasterror is 0 (verdict-recovered-rotated)', async () => {
    const d = await tetraOf(F('verdict-recovered-rotated'));
    assert.equal(d.verdict, 'healthy');
    assert.equal(d.args['earlierStatus'], -3000);
    assert.equal(step(d, 'tetra.cipher-suites').args['relevant'], undefined);
  });

  it('-2100 only in the pre-upgrade version folder is history while the newest one updates (verdict-recovered-upgrade)', async () => {
    const d = await tetraOf(F('verdict-recovered-upgrade'));
    assert.equal(d.verdict, 'healthy');
    assert.equal(step(d, 'tetra.proxy').reason, 'recovered');
    assert.equal(step(d, 'tetra.definitions').reason, 'log-updated');
  });

  it('lasterror 0 does not hide a last attempt that failed: the failure stands', async () => {
    const log = [
      '(1, +0 ms) Mar 02 14:05:12 [2716]: TetraUpdateInterface::update updateDir: C:\\Program Files\\Cisco\\AMP\\tetra, 20, 0, 0, 0, 0, 0',
      '(1, +12 ms) Mar 02 14:05:12 [2716]: PerformTetraUpdate: bUpdated = TRUE, state: 20, status: 0',
      '(1, +0 ms) Mar 02 14:05:12 [2716]: PerformTetraUpdate: sig count: 12345, version: 91234',
      '(2, +0 ms) Mar 02 15:05:11 [2716]: TetraUpdateInterface::update updateDir: C:\\Program Files\\Cisco\\AMP\\tetra, 20, -2103, -2103, 0, 0, 0',
      '(2, +12 ms) Mar 02 15:05:11 [2716]: PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -2103',
      '(2, +0 ms) Mar 02 15:05:11 [2716]: PerformTetraUpdate: sig count: 0, version: 0',
    ].join('\n');
    const d = await tetraOf(tempCase({ 'Cisco/AMP/8.1.7.21417/sfc.exe.log': log, 'local.xml': '<config>\n<tetra><lasterror>0</lasterror></tetra>\n</config>\n' }));
    assert.equal(d.verdict, 'proxy-connect');
    assert.equal(d.args['source'], 'log');
  });
});

describe('diagnoseTetra: only failures on the way to the update server count', () => {
  const healthy = ['avdefs.txt', 'ciphers.txt', 'console.txt', 'curl.txt', 'posture.txt', 'resolve.txt', 'systeminfo.txt'];
  const healthyWith = (extra: Record<string, string | Buffer>) => tempCase({ ...Object.fromEntries(healthy.map((n) => [n, readFileSync(F(`case-healthy/${n}`))])), ...extra });
  const resolveFailed = (host: string) => `PS C:\\> Resolve-DnsName -Name ${host}\nResolve-DnsName : ${host} : DNS name does not exist\n`;
  const curlRevocation = (host: string) =>
    readFileSync(F('case-revocation/curl.txt'), 'utf8')
      .split('tetra-defs.amp.cisco.com')
      .join(host);
  const events = readFileSync(F('case-schannel/system-events.txt'));

  it('a failed lookup of another name (wpad) is not the update server\'s: still healthy', async () => {
    const d = await tetraOf(healthyWith({ 'wpad.txt': resolveFailed('wpad.corp.example') }));
    assert.equal(d.verdict, 'healthy');
    const dns = step(d, 'tetra.dns');
    assert.equal(dns.reason, 'resolved');
    assert.equal(dns.args['ignored'], 'wpad.corp.example');
    assert.match(stepMessage(dns), /wpad\.corp\.example does not bear on the update/);
  });

  it('a revocation failure of curl to an intranet host is not the update server\'s: still healthy', async () => {
    const d = await tetraOf(healthyWith({ 'curl-intranet.txt': curlRevocation('intranet.corp.example') }));
    assert.equal(d.verdict, 'healthy');
    assert.equal(step(d, 'tetra.tls').reason, 'http-ok');
  });

  it('Schannel alerts that name no server do not outrank Get-TlsCipherSuite listing an accepted suite', async () => {
    const d = await tetraOf(healthyWith({ 'system-events.txt': events }));
    assert.equal(d.verdict, 'healthy');
    assert.equal(step(d, 'tetra.cipher-suites').reason, 'accepted-present');
  });

  it('Schannel alerts alone (no -3000) leave the cipher step unknown; the summary names the suspicion (case-schannel)', async () => {
    const d = await tetraOf(F('case-schannel'));
    assert.equal(d.verdict, 'unknown');
    const s = step(d, 'tetra.cipher-suites');
    assert.equal(s.status, 'unknown');
    assert.equal(s.reason, 'schannel-only');
    assert.equal(s.settle?.how, 'Get-TlsCipherSuite | ft name');
    assert.equal(d.args['suspect'], 'schannel');
    assert.match(verdictSummary(d), /Schannel event 36887 reports fatal alert 40/);
    assert.equal(d.actions[0]!.id, 'list-cipher-suites');
  });

  it('Schannel alerts with a current -3000 and nothing against them: tls-cipher-mismatch', async () => {
    const d = await tetraOf(tempCase({ 'system-events.txt': events, 'local.xml': '<config>\n<tetra><lasterror>4294964296</lasterror></tetra>\n</config>\n' }));
    assert.equal(d.verdict, 'tls-cipher-mismatch');
    assert.equal(d.args['source'], 'schannel-event');
  });

  it('Schannel alerts with a -3000, but curl reaches the update server over TLS: not a cipher mismatch', async () => {
    const d = await tetraOf(tempCase({ 'system-events.txt': events, 'curl.txt': readFileSync(F('case-healthy/curl.txt')), 'local.xml': '<config>\n<tetra><lasterror>4294964296</lasterror></tetra>\n</config>\n' }));
    const s = step(d, 'tetra.cipher-suites');
    assert.equal(s.reason, 'schannel-only');
    assert.equal(s.args['contradicted'], 1);
    assert.equal(d.verdict, 'network-timeout');
  });

  it('a CRL/OCSP host that does not resolve is on the way (dns, a name that is not the update server)', async () => {
    const d = await tetraOf(tempCase({ 'ocsp.txt': resolveFailed('commercial.ocsp.identrust.com') }));
    assert.equal(d.verdict, 'dns');
    assert.equal(d.args['name'], 'commercial.ocsp.identrust.com');
    assert.equal(step(d, 'tetra.dns').args['updateServer'], 0);
  });

  it('a 200 from Cisco\'s NAM server proves nothing for the EU server the policy names', async () => {
    const policy = readFileSync(F('case-revocation/policy.xml'), 'utf8').replace('<server>tetra-defs.amp.cisco.com</server>', '<server>tetra-defs.eu.amp.cisco.com</server>');
    const d = await tetraOf(tempCase({ 'policy.xml': policy, 'curl.txt': readFileSync(F('case-healthy/curl.txt')) }));
    const tls = step(d, 'tetra.tls');
    assert.equal(tls.status, 'unknown');
    assert.equal(tls.reason, 'other-host');
    assert.equal(tls.args['otherHost'], 'tetra-defs.amp.cisco.com');
    assert.equal(tls.settle?.how, 'curl.exe -v https://tetra-defs.eu.amp.cisco.com');
    assert.notEqual(step(d, 'tetra.dns').reason, 'curl-connected');
  });
});

describe('diagnoseTetra: the policy\'s proxy', () => {
  it('through the policy\'s proxy the endpoint need not resolve the server: not dns; curl goes through the proxy (verdict-policy-proxy)', async () => {
    const root = F('verdict-policy-proxy');
    const d = await tetraOf(root);
    assert.equal(d.verdict, 'network-timeout');
    const dns = step(d, 'tetra.dns');
    assert.equal(dns.status, 'unknown');
    assert.equal(dns.reason, 'via-proxy');
    assert.equal(dns.args['proxy'], 'proxy.example.test:8080');
    assert.equal(dns.settle?.how, 'curl.exe -v -x http://proxy.example.test:8080 https://tetra-defs.amp.cisco.com');
    pointsAt(dns.evidence, root, 'resolve.txt', 'DNS name does not exist');
    assert.ok(d.actions.some((a) => a.id === 'curl-via-proxy' && a.command === 'curl.exe -v -x http://proxy.example.test:8080 https://tetra-defs.amp.cisco.com'));
    // Never the proxy's credentials.
    const all = JSON.stringify(d) + diagnosisMarkdown(d);
    assert.ok(!all.includes('Pr0xy-S3cret-Example!') && !all.includes('svc-amp'));
  });

  it('proxy-connect with the policy\'s proxy: curl -x http://host:port', async () => {
    const d = await tetraOf(tempCase({ 'policy.xml': readFileSync(F('verdict-policy-proxy/policy.xml')), 'local.xml': '<config>\n<tetra><lasterror>4294965193</lasterror></tetra>\n</config>\n' }));
    assert.equal(d.verdict, 'proxy-connect');
    assert.equal(d.actions.find((a) => a.id === 'check-proxy-reachable')?.args['proxy'], 'proxy.example.test:8080');
    assert.equal(d.actions.find((a) => a.id === 'curl-via-proxy')?.command, 'curl.exe -v -x http://proxy.example.test:8080 https://tetra-defs.amp.cisco.com');
  });
});

describe('diagnose: macOS and Linux get their own commands', () => {
  const WINDOWS_WORDS = /sfc\.exe|reg delete|jobs\.db|AmpCLI\.exe|ipsupporttool\.exe|Select-Xml|Get-TlsCipherSuite|Get-ChildItem|Copy-Item|Resolve-DnsName/;
  const commandsOf = (d: Diagnosis<string>) => [...d.actions.map((a) => a.command ?? ''), ...d.steps.map((s) => s.settle?.how ?? '')];

  it('a 1.x connector with ampcli status is not Windows: no Windows command, ClamAV is not TETRA (verdict-mac-ampcli)', async () => {
    const analysis = await analyzePath(F('verdict-mac-ampcli'));
    const tetra = diagnoseTetra(analysis);
    const iso = diagnoseIsolation(analysis);
    for (const d of [tetra, iso] as Array<Diagnosis<string>>) {
      for (const cmd of commandsOf(d)) assert.ok(!WINDOWS_WORDS.test(cmd), `${d.playbook}: ${cmd}`);
      assert.ok(!/sfc\.exe|registry/.test(verdictSummary(d)), verdictSummary(d));
    }
    const force = step(tetra, 'tetra.force-update');
    assert.equal(force.reason, 'not-windows');
    assert.ok(!/older than/.test(stepMessage(force)), stepMessage(force));
    assert.equal(step(tetra, 'tetra.definitions').reason, 'no-evidence');
    assert.ok(!JSON.stringify(tetra).includes('27000'));
    assert.equal(iso.verdict, 'isolated');
    assert.equal(iso.args['platform'], 'other');
    assert.equal(step(tetra, 'tetra.proxy').settle?.how.split('\n')[0], '# macOS');
  });

  it('macOS (sw_vers): the isolated summary names the state file, not sfc.exe -n (case-mac-isolation)', async () => {
    const d = await isolationOf(F('case-mac-isolation'));
    assert.equal(d.args['platform'], 'macos');
    assert.match(verdictSummary(d), /endpoint_isolation\.xml/);
    assert.ok(!/sfc\.exe/.test(verdictSummary(d)));
  });

  it('Linux (os-release): local.xml and the cipher suites are settled the Linux way', async () => {
    const status = '$ /opt/cisco/amp/bin/ampcli status\nStatus:                     Connected\nMode:                       Default\nPolicy:                     Linux Servers (#12)\nIsolation:                  Not Isolated\nFaults:                     None\n';
    const d = await tetraOf(tempCase({ 'status.txt': status, 'os-release': 'NAME="Red Hat Enterprise Linux"\nVERSION="9.3 (Plow)"\nID="rhel"\n' }));
    for (const cmd of commandsOf(d)) assert.ok(!WINDOWS_WORDS.test(cmd), cmd);
    assert.equal(step(d, 'tetra.proxy').settle?.how, "grep -o '<lasterror>[^<]*</lasterror>' /opt/cisco/amp/etc/local.xml");
    assert.match(step(d, 'tetra.cipher-suites').settle?.how ?? '', /^openssl s_client -connect tetra-defs\.amp\.cisco\.com:443/);
  });

  it('an unnamed ampcli definition version is TETRA only on Windows; a Windows one still counts', async () => {
    const status = 'Status:                     Connected\nMode:                       Default\nDefinition Version:         90606\n';
    const win = await tetraOf(tempCase({ 'status.txt': status, 'Cisco/AMP/8.1.7.21417/sfc.exe.log': '' }));
    assert.equal(step(win, 'tetra.definitions').args['current'], 90606);
  });
});

describe('diagnoseIsolation: time and conflicts', () => {
  it('a dated console Not Isolated after the failures outranks an undated registry export (verdict-isolation-stopped)', async () => {
    const root = F('verdict-isolation-stopped');
    const d = await isolationOf(root);
    assert.equal(d.verdict, 'not-isolated');
    const s = step(d, 'isolation.state');
    assert.equal(s.status, 'pass');
    assert.equal(s.args['source'], 'console');
    assert.equal(s.args['conflict'], 'registry');
    pointsAt(s.evidence, root, 'console.txt', 'Not Isolated');
    pointsAt(s.evidence, root, 'registry.reg', 'unlock_code');
    assert.equal(step(d, 'isolation.verify').status, 'pass');
    assert.match(verdictSummary(d), /query the key again/);
    assert.equal(d.actions[0]!.id, 'query-registry');
    assert.ok(!d.actions.some((a) => a.id === 'delete-unlock-code'));
  });

  it('an undated registry export against an undated client Not Isolated is a conflict: unknown, never isolated with a passing verify', async () => {
    const reg = 'Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect]\n"unlock_code"="q7wz2k"\n';
    const client = 'Status: Connected\tIsolation: Not Isolated\n';
    const d = await isolationOf(tempCase({ 'registry.reg': reg, 'client.txt': client, 'console.txt': readFileSync(F('text/isolation-stop-failed.txt')) }));
    assert.equal(step(d, 'isolation.state').reason, 'conflict');
    assert.equal(step(d, 'isolation.verify').status, 'pass');
    assert.equal(d.verdict, 'unknown');
    assert.match(verdictSummary(d), /disagrees/);
  });

  it('no fixture reports a failing state with a passing verify', async () => {
    for (const name of ['case-isolation', 'case-mac-isolation', 'verdict-isolated', 'verdict-not-isolated', 'verdict-unlock-failing', 'verdict-isolation-stopped', 'verdict-lock-expired', 'caseview-bundle', 'text']) {
      const d = await isolationOf(F(name));
      assert.ok(!(step(d, 'isolation.state').status === 'fail' && step(d, 'isolation.verify').status === 'pass'), name);
      if (step(d, 'isolation.verify').status === 'pass') assert.ok(!['isolated', 'isolated-unlock-failing', 'unlock-locked-out'].includes(d.verdict), `${name}: ${d.verdict}`);
    }
  });

  it('an Unlock Limit Reached days before the bundle\'s newest time has expired: unlock failing, retry the code (verdict-lock-expired)', async () => {
    const root = F('verdict-lock-expired');
    const d = await isolationOf(root);
    assert.equal(d.verdict, 'isolated-unlock-failing');
    assert.equal(d.args['reason'], 'lock-expired');
    assert.equal(d.args['since'], '2024-02-10 12:31:44 UTC');
    assert.equal(d.args['newest'], '2024-02-14 12:10:40 UTC');
    const s = step(d, 'isolation.unlock-attempts');
    assert.equal(s.reason, 'lock-expired');
    pointsAt(s.evidence, root, 'console.txt', 'Unlock Limit Reached');
    assert.ok(!d.actions.some((a) => a.id === 'wait-unlock'));
    assert.ok(d.actions.some((a) => a.id === 'unlock'));
    assert.ok(!/Wait 30 minutes|wait 30 minutes/.test(verdictSummary(d)));
  });
});

describe('diagnose: sources and evidence', () => {
  it('the registry\'s ProductVersion is a connector version', async () => {
    const reg = 'Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect]\n"InstallDir"="C:\\\\Program Files\\\\Cisco\\\\AMP\\\\"\n"ProductVersion"="8.2.1.21650"\n';
    const root = tempCase({ 'immunet.reg': reg, 'local.xml': '<config>\n<tetra><lasterror>4294965193</lasterror></tetra>\n</config>\n' });
    const analysis = await analyzePath(root);
    assert.ok(analysis.inventory?.connectorVersions.some((v) => v.version === '8.2.1.21650' && v.sources.some((s) => s.via === 'registry')));
    const d = diagnoseTetra(analysis);
    const force = step(d, 'tetra.force-update');
    assert.equal(force.args['version'], '8.2.1.21650');
    pointsAt(force.evidence, root, 'immunet.reg', 'ProductVersion');
  });

  it('version-folder evidence is the whole file: no line, no made-up text', async () => {
    const root = F('verdict-proxy-auth');
    const d = await tetraOf(root);
    const ev = step(d, 'tetra.force-update').evidence.find((e) => e.file.endsWith('sfc.exe.log'));
    assert.ok(ev);
    assert.deepEqual(ev.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.equal(ev.text, '');
    assert.ok(diagnosisMarkdown(d).includes('- `Program Files/Cisco/AMP/7.4.5.20701/sfc.exe.log`\n'));
  });

  it('a log with attempts and no success is named as such, not as missing', async () => {
    const log = ['(1, +0 ms) Mar 02 14:05:12 [2716]: TetraUpdateInterface::update updateDir: C:\\Program Files\\Cisco\\AMP\\tetra, 20, -3000, -3000, 0, 0, 0', '(1, +12 ms) Mar 02 14:05:12 [2716]: PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -3000', '(1, +0 ms) Mar 02 14:05:12 [2716]: PerformTetraUpdate: sig count: 0, version: 0'].join('\n');
    const d = await tetraOf(tempCase({ 'Cisco/AMP/8.1.7.21417/sfc.exe.log': log }));
    const s = step(d, 'tetra.connected');
    assert.equal(s.reason, 'no-evidence');
    assert.ok(!/No Last Seen, AmpCLI posture or connector log/.test(stepMessage(s)), stepMessage(s));
    assert.match(stepMessage(s), /one update attempt, which failed/);
  });
});

// ---------------------------------------------------------------------------------------------
// Words

/** The Markdown with code spans and fenced blocks removed: what a renderer would interpret. */
function outsideCode(md: string): string {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of md.split('\n')) {
    const f = /^\s*(`{3,})/.exec(line);
    if (fence) {
      if (f && f[1]!.length >= fence.length && line.trim() === f[1]) fence = undefined;
      continue;
    }
    if (f) {
      fence = f[1]!;
      continue;
    }
    // A backslash-escaped backtick opens no span.
    lines.push(line.replace(/(?<![\\`])(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, ''));
  }
  return lines.join('\n');
}

describe('render-diagnosis', () => {
  const fixtures = [
    'case-healthy', 'verdict-not-connected', 'case-dns-failed', 'case-revocation', 'case-ciphers', 'case-schannel', 'proxy-bundle', 'verdict-proxy-auth', 'verdict-proxy-download', 'seed-001', 'verdict-empty', 'verdict-not-isolated', 'verdict-isolated', 'verdict-unlock-failing', 'case-isolation', 'case-isolation-old', 'case-mac-isolation',
    'verdict-seed-000', 'verdict-seed-002', 'verdict-console-stale', 'verdict-recovered-proxy', 'verdict-recovered-rotated', 'verdict-recovered-upgrade', 'verdict-policy-proxy', 'verdict-mac-ampcli', 'verdict-isolation-stopped', 'verdict-lock-expired',
  ];

  it('every verdict, step, settle item and action of every fixture has words (no raw ids)', async () => {
    for (const name of fixtures) {
      const analysis = await analyzePath(F(name));
      for (const d of [diagnoseTetra(analysis), diagnoseIsolation(analysis)] as Array<Diagnosis<string>>) {
        assert.ok(verdictTitle(d).length > 0 && verdictTitle(d) !== d.verdict, `${name} ${d.verdict}`);
        const summary = verdictSummary(d);
        assert.ok(summary.length > 20 && !/undefined|NaN|\{\d\}/.test(summary), `${name} summary: ${summary}`);
        for (const s of d.steps) {
          const m = stepMessage(s);
          assert.ok(!m.startsWith(s.id) && !/undefined|NaN|\{\d\}/.test(m), `${name} ${s.id}/${s.reason}: ${m}`);
          assert.notEqual(stepTitle(s.id), s.id);
          assert.ok(stepStatusText(s.status).length > 0);
          if (s.settle) assert.ok(!settleText(s.settle).startsWith('Add:'), `${name} settle ${s.settle.id}`);
        }
        for (const a of d.actions) {
          const t = diagnosisActionTitle(a);
          assert.ok(!t.startsWith('Run:') && t !== a.id && !/undefined|\{\d\}/.test(t), `${name} action ${a.id}: ${t}`);
        }
      }
    }
  });

  it('every reason a step can have, every settle item and every action id has its own words', () => {
    const reasons: Record<string, string[]> = {
      'tetra.connected': ['posture', 'client', 'console', 'console-lagging', 'log-updated', 'disconnected', 'not-seen', 'no-evidence'],
      'tetra.definitions': ['missing', 'behind', 'console-gap', 'console-failed', 'last-attempt-failed', 'current', 'console-up-to-date', 'log-updated', 'no-comparison', 'no-evidence'],
      'tetra.force-update': ['forceupdate', 'forceupdate-only', 'no-way', 'older-connector', 'no-version', 'not-windows'],
      'tetra.update-server': ['cisco', 'custom', 'updater-disabled', 'default'],
      'tetra.dns': ['resolved', 'curl-connected', 'failed', 'via-proxy', 'no-evidence'],
      'tetra.tls': ['http-ok', 'http-status', 'revocation', 'handshake', 'untrusted-root', 'tls-error', 'not-reached', 'other-host', 'no-evidence'],
      'tetra.proxy': ['connect', 'auth', 'download', 'no-error', 'other-status', 'recovered', 'no-proxy-status', 'curl-via-proxy', 'no-evidence'],
      'tetra.cipher-suites': ['suites-missing', 'handshake-alert', 'schannel-only', 'accepted-present', 'accepted-offered', 'no-evidence'],
      'tetra.collect': ['not-needed', 'complete', 'incomplete'],
      'isolation.state': ['isolated', 'pending', 'not-isolated', 'conflict', 'no-evidence'],
      'isolation.supported': ['supported', 'version', '32-bit', 'no-version', 'platform'],
      'isolation.unlock-attempts': ['locked-out', 'lock-expired', 'invalid-code', 'stop-failed', 'no-failures', 'no-evidence'],
      'isolation.recovery': ['access-denied', 'registry-deleted', 'not-needed', 'console', 'console-then-unlock-code', 'registry', 'macos-state-file'],
      'isolation.verify': ['client', 'console', 'client-and-console', 'still-isolated', 'unconfirmed', 'no-evidence'],
    };
    const args = { status: -2103, value: 4294965193, source: 'log', count: 2, first: 'a', last: 'b', host: 'h.example', name: 'h.example', version: '8.1.7.21417', since: '7.2.7', platform: 'windows', minimum: '7.0.5', current: 1, newest: 2 };
    for (const [id, list] of Object.entries(reasons)) {
      for (const reason of list) {
        const m = stepMessage({ id, status: 'unknown', reason, args, evidence: [] });
        assert.ok(!m.startsWith(id) && !/undefined|\{\d\}/.test(m), `${id}/${reason}: ${m}`);
      }
    }
    const settles = ['console.computer-details', 'console.av-definitions', 'console.isolation', 'ampcli.posture', 'ampcli.status', 'policy', 'dns.resolve', 'curl.verbose', 'curl.proxy', 'local.xml', 'tls.cipher-suites', 'connector-log', 'debug-log', 'packet-capture', 'connector-version', 'registry.immunet', 'isolation-state'];
    for (const id of settles) assert.ok(!settleText({ id, how: 'x', args: { server: 'h.example' } }).startsWith('Add:'), id);
    const actions = [
      'console-last-seen', 'posture', 'ampcli-status', 'support-bundle', 'resolve-name', 'resolve-update-server', 'show-dns-servers', 'curl-update-server', 'curl-via-proxy', 'check-proxy-reachable', 'check-proxy-credentials', 'check-proxy-logs', 'no-tls-inspection',
      'read-lasterror', 'force-update', 'allow-revocation-hosts', 'curl-ocsp', 'curl-crl', 'list-cipher-suites', 'open-group-policy', 'cipher-suite-order-policy', 'read-cipher-suite-policy', 'reboot-retry', 'debug-start', 'packet-capture', 'enable-updater',
      'console-stop-isolation', 'unlock', 'unlock-after-wait', 'recopy-unlock-code', 'wait-unlock', 'stop-service', 'delete-unlock-code', 'start-service', 'delete-jobs-db', 'safe-boot', 'delete-isolation-state', 'daemon-unload', 'daemon-load', 'verify-not-isolated', 'upgrade-connector', 'query-registry', 'list-isolation-state', 'console-isolation-status',
    ];
    for (const id of actions) assert.ok(!diagnosisActionTitle({ id, args: { minutes: 30, proxy: 'p.example', server: 'h.example', path: 'C:\\x\\jobs.db', hosts: 'a, b', name: 'h.example', minimum: '7.0.5' } }).startsWith(id), id);
  });

  it('diagnosisMarkdown lists every step with its status, evidence links and commands in fences', async () => {
    const root = F('proxy-bundle');
    const d = diagnoseTetra(await analyzePath(root));
    const md = diagnosisMarkdown(d, { evidenceLink: (e) => `file:///bundles/proxy bundle/${e.file}#L${e.range.start.line + 1}` });
    assert.match(md.split('\n')[0]!, /^## TETRA definitions: The connector cannot reach its proxy \\\(-2103\\\)$/);
    for (const s of d.steps) assert.ok(md.includes(`**${stepTitle(s.id)}**`), s.id);
    assert.equal((md.match(/^\d+\. [✅❌❔] \*\*/gmu) ?? []).length, TETRA_STEPS.length);
    // Links are percent-encoded; the line text is a code span.
    assert.ok(md.includes('](file:///bundles/proxy%20bundle/local.xml#L7)'), md);
    assert.ok(md.includes('`<lasterror>4294965193</lasterror>`'));
    assert.ok(md.includes("```\n     (Select-Xml -Path 'C:\\Program Files\\Cisco\\AMP\\local.xml'") || md.includes('```\n   (Select-Xml'));
    const iso = diagnosisMarkdown(diagnoseIsolation(await analyzePath(F('case-isolation'))));
    for (const id of ISOLATION_STEPS) assert.ok(iso.includes(`**${stepTitle(id)}**`), id);
    assert.match(iso, /`console\.txt`:16 /);
  });

  it('hostile bundle text renders as text: backticks, <script>, ](javascript:, fences in commands', () => {
    const hostile = 'x`` `y <script>alert(1)</script> [a](javascript:alert(1)) **b**';
    const e = (file: string, line: number, text: string): Evidence => ({ file, range: { start: { line, character: 0 }, end: { line, character: text.length } }, text });
    const d: TetraDiagnosis = {
      playbook: 'tetra',
      verdict: 'dns',
      args: { name: '<img src=x onerror=alert(1)>.evil', error: 'name-error' },
      evidence: [],
      steps: TETRA_STEPS.map((id) => ({ id, status: 'unknown', reason: 'no-evidence', args: { name: '](javascript:alert(1))', host: '<script>x</script>' }, evidence: [], settle: { id: 'dns.resolve', how: 'Resolve-DnsName -Name ```evil', args: { server: '<b>x</b>' } } })),
      actions: [{ id: 'resolve-name', command: 'Resolve-DnsName ```\n<script>alert(2)</script>', args: { name: '[x](javascript:alert(3))' } }],
    };
    d.steps[4] = { id: 'tetra.dns', status: 'fail', reason: 'failed', args: { name: '<script>alert(4)</script>', error: 'other' }, evidence: [e('dns `](javascript:alert(5)).txt', 3, hostile), e('plain.txt', 0, '``')] };
    const md = diagnosisMarkdown(d, { evidenceLink: (x) => (x.file === 'plain.txt' ? 'javascript:alert(6)' : `file:///b/${x.file}`) });
    const outside = outsideCode(md);
    assert.ok(!/<(?:script|img|b)\b/i.test(outside.replace(/\\</g, '')), outside);
    assert.ok(!/\]\(javascript:/i.test(outside), outside);
    assert.ok(!md.includes('(javascript:alert(6))'));
    // The hostile line is one code span whose fence is longer than its backtick runs.
    assert.ok(md.includes('```x`` `y <script>alert(1)</script> [a](javascript:alert(1)) **b**```'), md);
    assert.ok(md.includes('- `plain.txt`:1 ``` `` ```'), md);
    // A command holding ``` is fenced with four.
    assert.ok(md.includes('````\n   Resolve-DnsName ```\n   <script>alert(2)</script>\n   ````'), md);
    // Every step is listed.
    for (const id of TETRA_STEPS) assert.ok(md.includes(`**${stepTitle(id)}**`), id);
  });

  it('fixtures used here exist (paths resolved from the repository root)', () => {
    assert.ok(linesOf(path.join(FIXTURES, 'verdict-empty', 'notes.txt')).length > 0);
  });
});
