import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  mask,
  outputsOf,
  readTextPrefix,
  recogniseBundle,
  recogniseText,
  redact,
  RECOGNISE_MAX_CHARS,
  RECOGNISERS,
  type OutputId,
  type OutputOf,
  type RecognisedOutput,
} from '../../src/core/bundle/evidence';
import { analyzePath, type PathAnalysis } from '../../src/core/bundle/inputs';
import { buildInventory, type Inventory } from '../../src/core/bundle/inventory';
import { allFindings, BUNDLE_RULES, bundleFindings, relateFindings, STALE_HOURS, TETRA_ACCEPTED_SUITES } from '../../src/core/bundle/rules';
import type { Finding } from '../../src/core/types';
import { fixture } from '../support/paths';

const T = '\t';
const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

function one<I extends OutputId>(text: string, id: I, file = 'pasted.txt'): OutputOf<I> {
  const all = outputsOf(recogniseText(text, file), id);
  assert.equal(all.length, 1, `one ${id} in ${JSON.stringify(recogniseText(text, file).map((o) => o.id))}`);
  return all[0]!;
}

/** The text a range covers in a text (LF, CRLF or CR line ends). */
function slice(text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split(/\r\n|\r|\n/);
  assert.equal(r.start.line, r.end.line, 'single-line range');
  return lines[r.start.line]!.slice(r.start.character, r.end.character);
}

interface Case {
  analysis: PathAnalysis;
  outputs: RecognisedOutput[];
  inventory: Inventory;
  findings: Finding[];
}

async function caseOf(dir: string): Promise<Case> {
  const analysis = await analyzePath(dir);
  const { outputs, unreadable } = await recogniseBundle(analysis);
  assert.deepEqual(unreadable, []);
  const inventory = buildInventory(analysis, outputs);
  return { analysis, outputs, inventory, findings: bundleFindings(analysis, outputs, inventory) };
}

const fixtureCase = (name: string) => caseOf(fixture(name));

function ids(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.id);
}

function only(findings: readonly Finding[], id: string): Finding {
  const all = findings.filter((f) => f.id === id);
  assert.equal(all.length, 1, `one ${id} in ${JSON.stringify(ids(findings))}`);
  return all[0]!;
}

/** An analysis with no files: for rules over pasted texts alone. */
function emptyAnalysis(): PathAnalysis {
  return { root: '/case', kind: 'folder', files: [], findings: [], logSets: [], unreadable: [] };
}

function rulesOver(texts: Record<string, string>): { outputs: RecognisedOutput[]; inventory: Inventory; findings: Finding[] } {
  const outputs = Object.entries(texts).flatMap(([file, text]) => recogniseText(text, file));
  const analysis = emptyAnalysis();
  const inventory = buildInventory(analysis, outputs);
  return { outputs, inventory, findings: bundleFindings(analysis, outputs, inventory) };
}

// Shapes of the seeds (values invented).
const CONSOLE_000 = [
  '## DESKTOP-LAB09 in group Protect',
  `Hostname${T}DESKTOP-LAB09${T}Group 👜${T}Protect${T}${T}`,
  `Operating System${T}Windows 11, SP 0.0 (Build 22621.1702)${T}Policy 🔅${T}Protect${T}${T}`,
  `Connector Version${T}8.1.7.21417${T}Internal IP${T}192.0.2.10${T}${T}`,
  `Connector GUID${T}0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d${T}Last Seen${T}2023-05-17 19:40:25 UTC${T}${T}`,
  `Processor ID${T}0000ffff00001111${T}Definition Version${T}TETRA 64 bit (daily version: 90600)${T}${T}`,
  `Definitions Last Updated${T}2023-05-17 19:16:49 UTC ▲ Failed The Connector was unable to reach the TETRA update server. Check your Secure Endpoint Update Server settings on your policy. Contact Cisco support if the issue persists.${T}Update Server${T}tetra-defs.amp.cisco.com${T}${T}`,
  `Cisco Secure Client ID${T}N/A${T}Kenna Risk Score 🛛 🔞${T}No high severity vulnerabilities found.${T}${T}`,
].join('\n');

const CURL_OK_002 = [
  'PS C:\\Program Files\\Cisco\\AMP> curl.exe -v https://tetra-defs.amp.cisco.com',
  '* Trying 192.0.2.30:443...',
  '- * Connected to tetra-defs.amp.cisco.com (192.0.2.30) port 443 (#0)',
  '- * schannel: disabled automatic use of client certificate',
  '> GET / HTTP/1.1',
  '> Host: tetra-defs.amp.cisco.com',
  '> * schannel: server closed the connection < HTTP/1.1 200 OK < Date: Fri, 19 May 2023 19:13:35 GMT < Server: < Content-Length: 0 < Connection: close',
].join('\n');

const WIRESHARK_001 = readFileSync(fixture('case-ciphers', 'wireshark.txt'), 'utf8');

describe('recognisers: each on the seeds’ shapes', () => {
  it('are data: an id, a source, a test and a parser each, ids unique', () => {
    const seen = new Set<string>();
    for (const r of RECOGNISERS) {
      assert.ok(r.source.length > 5, r.id);
      assert.equal(typeof r.test, 'function');
      assert.equal(typeof r.parse, 'function');
      assert.ok(!seen.has(r.id), r.id);
      seen.add(r.id);
    }
  });

  for (const [eol, conv] of [
    ['LF', (s: string) => s],
    ['CRLF', crlf],
  ] as const) {
    it(`console Computer details (${eol}): fields, times, the failure, the update server, positions`, () => {
      const text = conv(CONSOLE_000);
      const o = one(text, 'console.computer-details');
      const d = o.data;
      assert.equal(d.hostname?.value, 'DESKTOP-LAB09');
      assert.equal(d.operatingSystem?.value, 'Windows 11, SP 0.0 (Build 22621.1702)');
      assert.equal(d.connectorVersion?.value, '8.1.7.21417');
      assert.equal(d.connectorGuid?.value, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
      assert.deepEqual(d.definitionVersion?.value, { engine: 'TETRA', bits: 64, version: 90600 });
      assert.equal(d.lastSeen?.value.epochMs, Date.UTC(2023, 4, 17, 19, 40, 25));
      assert.equal(d.definitionsLastUpdated?.value.epochMs, Date.UTC(2023, 4, 17, 19, 16, 49));
      assert.equal(d.updateFailed?.value, 'unreachable');
      assert.equal(d.updateServer?.value, 'tetra-defs.amp.cisco.com');
      assert.equal(slice(text, d.definitionVersion!.at.range), 'TETRA 64 bit (daily version: 90600)');
      assert.equal(slice(text, d.lastSeen!.at.range), '2023-05-17 19:40:25 UTC');
      assert.equal(o.range.start.line, 1);
      assert.equal(o.range.end.line, 6);
    });
  }

  it('console: several pasted blocks are several outputs; "network timeout" (seed 001, -3000) and other zones', () => {
    const second = CONSOLE_000.replace('unable to reach the TETRA update server', 'Failed to update due to network timeout').replace(/UTC/g, 'CDT');
    const outs = outputsOf(recogniseText(`${CONSOLE_000}\n\nsome words\n${second}`, 'c.txt'), 'console.computer-details');
    assert.equal(outs.length, 2);
    assert.equal(outs[1]!.data.updateFailed?.value, 'network-timeout');
    assert.equal(outs[1]!.data.lastSeen?.value.epochMs, Date.UTC(2023, 4, 18, 0, 40, 25));
  });

  it('console AV Definition Summary: the head (64/32 bit) and the table, times cut across cells joined (seed 000)', () => {
    const text = readFileSync(fixture('case-stale', 'avdefs.txt'), 'utf8');
    const d = one(text, 'console.av-definitions').data;
    assert.deepEqual(
      d.latest.map((l) => [l.label, l.version]),
      [
        ['64bit', 90606],
        ['32bit', 120765],
      ],
    );
    assert.deepEqual(
      d.rows.map((r) => [r.version, r.time?.text]),
      [
        [90606, '2023-05-18 20:13:58 UTC'],
        [90605, '2023-05-18 16:15:48 UTC'],
        [90604, '2023-05-18 12:13:36 UTC'],
        [90603, '2023-05-18 06:02:10 UTC'],
        [90602, '2023-05-17 23:58:41 UTC'],
      ],
    );
    assert.equal(slice(text, d.rows[0]!.at.range), '90606');
  });

  it('AmpCLI posture: the seeds’ cut line read key by key; whole JSON with the TETRA version', () => {
    const cut = one('PS C:\\Program Files\\Cisco\\AMP\\8.1.7.21417> .\\AmpCLI.exe posture\n{"agent_uuid":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","connected":true,"connector_version":"8.1.7","engi', 'ampcli.posture');
    assert.equal(cut.data.complete, false);
    assert.equal(cut.data.agentUuid?.value, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    assert.equal(cut.data.connected?.value, true);
    assert.equal(cut.data.connectorVersion?.value, '8.1.7');
    assert.equal(cut.data.tetraVersion, undefined);
    const whole = one(readFileSync(fixture('case-healthy', 'posture.txt'), 'utf8'), 'ampcli.posture');
    assert.equal(whole.data.complete, true);
    assert.equal(whole.data.tetraVersion?.value, 90606);
    const defs = one('{"agent_uuid":"x1","connected":false,"engine_definitions":[{"name":"TETRA","defVersion":"64:90611"}]}', 'ampcli.posture');
    assert.equal(defs.data.tetraVersion?.value, 90611);
    assert.equal(defs.data.connected?.value, false);
  });

  it('ampcli status (BRIEF §2.6) and the client’s status line with two panels (seed 004)', () => {
    const mac = one(readFileSync(fixture('case-mac-isolation', 'ampcli.txt'), 'utf8'), 'ampcli.status');
    assert.equal(mac.data.records.length, 1);
    assert.equal(mac.data.records[0]!.status, 'Connected');
    assert.equal(mac.data.records[0]!.isolation?.value, 'isolated');
    const client = one(`Status: Connected Scanned: Never Policy: Copy of lab_policy Isolation: Isolated${T}Status: Connected Scanned: Never Policy: Copy of lab_policy Isolation: Not Isolated`, 'ampcli.status');
    assert.deepEqual(
      client.data.records.map((r) => r.isolation?.value),
      ['isolated', 'not-isolated'],
    );
    const defs = one('Status:   Connected\nDefinition Version:  TETRA 64 bit (daily version: 90606)\nDefinitions Last Updated: 2023-05-18 20:40:10 UTC\n', 'ampcli.status');
    assert.equal(defs.data.records[0]!.definitionVersion?.value, 90606);
    assert.equal(defs.data.records[0]!.definitionsLastUpdated?.value.epochMs, Date.UTC(2023, 4, 18, 20, 40, 10));
    assert.equal(outputsOf(recogniseText('Status: 200\nnothing else', 'x.txt'), 'ampcli.status').length, 0);
  });

  it('Resolve-DnsName: the table (seed 000, CRLF), the collapsed line (seed 002), the error, nslookup', () => {
    const table = readFileSync(fixture('case-healthy', 'resolve.txt'), 'utf8');
    assert.ok(table.includes('\r\n'));
    const t = one(table, 'dns.resolve').data;
    assert.equal(t.name?.value, 'tetra-defs.amp.cisco.com');
    assert.deepEqual(
      t.records.map((r) => [r.type, r.value]),
      [
        ['A', '198.51.100.20'],
        ['A', '198.51.100.21'],
      ],
    );
    const collapsed = one('PS C:\\Program Files\\Cisco\\AMP> Resolve-DnsName -Name tetra-defs.amp.cisco.com Name Type TTL Section IPAddress ---- tetra-defs.amp.cisco.com A 5 Answer 192.XXX.X.XX tetra-defs.amp.cisco.com A 5 Answer 192.XXX.X.X', 'dns.resolve').data;
    assert.equal(collapsed.records.length, 2);
    const err = one(readFileSync(fixture('case-dns-failed', 'resolve.txt'), 'utf8'), 'dns.resolve').data;
    assert.equal(err.error?.kind, 'name-error');
    assert.equal(err.error?.errorId, 'DNS_ERROR_RCODE_NAME_ERROR');
    assert.equal(err.records.length, 0);
    const ns = one("C:\\> nslookup tetra-defs.amp.cisco.com\nServer:  dns.lab.test\nAddress:  192.0.2.53\n\n*** dns.lab.test can't find tetra-defs.amp.cisco.com: Non-existent domain\n", 'dns.resolve').data;
    assert.equal(ns.tool, 'nslookup');
    assert.equal(ns.error?.kind, 'name-error');
    const nsOk = one('C:\\> nslookup tetra-defs.amp.cisco.com\nServer:  dns.lab.test\nAddress:  192.0.2.53\n\nNon-authoritative answer:\nName:    tetra-defs.amp.cisco.com\nAddresses:  198.51.100.20\n          198.51.100.21\n', 'dns.resolve').data;
    assert.deepEqual(
      nsOk.records.map((r) => r.value),
      ['198.51.100.20', '198.51.100.21'],
    );
  });

  it('curl -v: 200 OK on a collapsed line (seed 000), 0x80092013 with curl: (35) (fixture), other exits, runs without prompts', () => {
    const ok = one(CURL_OK_002, 'curl.verbose').data;
    assert.deepEqual(
      ok.responses.map((r) => [r.status, r.reason, r.proxy]),
      [[200, 'OK', false]],
    );
    assert.equal(ok.exit, undefined);
    assert.equal(ok.host, 'tetra-defs.amp.cisco.com');
    const rev = one(readFileSync(fixture('text', 'curl-revocation.txt'), 'utf8'), 'curl.verbose').data;
    assert.equal(rev.revocation, true);
    assert.equal(rev.exit?.code, 35);
    assert.deepEqual(
      rev.tlsErrors.map((e) => e.hex),
      ['0x80092013'],
    );
    const two = outputsOf(
      recogniseText(
        [
          '*   Trying 192.0.2.30:443...',
          '* Connection timed out after 21036 milliseconds',
          '* Closing connection 0',
          'curl: (28) Connection timed out after 21036 milliseconds',
          '',
          '*   Trying 192.0.2.40:8080...',
          '* Connected to proxy.lab.test (192.0.2.40) port 8080 (#0)',
          '* Establish HTTP proxy tunnel to tetra-defs.amp.cisco.com:443',
          '> CONNECT tetra-defs.amp.cisco.com:443 HTTP/1.1',
          '< HTTP/1.1 407 Proxy Authentication Required',
          '* CONNECT tunnel failed, response 407',
          '* Closing connection 0',
          'curl: (56) CONNECT tunnel failed, response 407',
        ].join('\r\n'),
        'curl.txt',
      ),
      'curl.verbose',
    );
    assert.equal(two.length, 2);
    assert.equal(two[0]!.data.exit?.code, 28);
    assert.equal(two[1]!.data.exit?.code, 56);
    assert.deepEqual(
      two[1]!.data.responses.map((r) => [r.status, r.proxy]),
      [[407, true]],
    );
    assert.equal(two[1]!.data.viaProxy, true);
  });

  it('curl: markdown quotes are not curl output', () => {
    assert.equal(outputsOf(recogniseText('> Frame 257: 63 bytes on wire\n> Linux cooked capture v1\n', 'x.txt'), 'curl.verbose').length, 0);
  });

  it('Get-TlsCipherSuite | ft name (seed 001), its list form; a bare list of four suites in prose is not an output', () => {
    const text = readFileSync(fixture('case-ciphers', 'ciphers.txt'), 'utf8');
    const c = one(text, 'tls.cipher-suites');
    assert.equal(c.data.suites.length, 8);
    assert.equal(c.data.command?.line, 0);
    assert.equal(slice(text, c.data.suites[0]!.at.range), 'TLS_RSA_WITH_AES_256_CBC_SHA256');
    const list = one('Name                   : TLS_AES_128_GCM_SHA256\nCipherSuite            : 4865\nCipher                 : AES\n\nName                   : TLS_RSA_WITH_AES_128_CBC_SHA\nCipherSuite            : 47\n', 'tls.cipher-suites');
    assert.deepEqual(
      list.data.suites.map((s) => s.name),
      ['TLS_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA'],
    );
    const prose = `The AMP Tetra server accepts only:\n\n${TETRA_ACCEPTED_SUITES.map((s) => s.name).join('\n')}\n\nThen …`;
    assert.equal(outputsOf(recogniseText(prose, 'notes.txt'), 'tls.cipher-suites').length, 0);
  });

  it('Wireshark text (seed 001): the Client Hello’s suites, the server’s choice, one fatal alert right after the Client Hello', () => {
    const d = one(WIRESHARK_001, 'wireshark.tls').data;
    assert.equal(d.clientHellos.length, 1);
    assert.equal(d.clientHellos[0]!.suites.length, 6);
    assert.equal(d.clientHellos[0]!.declared, 6);
    assert.equal(d.clientHellos[0]!.packet, 34);
    assert.equal(d.clientHellos[0]!.suites[0]!.code, 0x003c);
    assert.deepEqual(
      d.alerts.map((a) => [a.level, a.description, a.code, a.packet, a.afterClientHello]),
      [['Fatal', 'Handshake Failure', 40, 38, true]],
    );
    assert.deepEqual(d.hosts, ['tetra-defs.amp.cisco.com']);
    const server = one('  Transport Layer Security\n    TLSv1.2 Record Layer: Handshake Protocol: Server Hello\n      Handshake Protocol: Server Hello\n        Cipher Suite: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (0xc030)\n', 'wireshark.tls').data;
    assert.equal(server.serverHellos[0]!.suite, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    assert.equal(server.clientHellos.length, 0);
  });

  it('Schannel events: Event Viewer text and table rows (CRLF), received and generated, error state', () => {
    const d = one(readFileSync(fixture('case-schannel', 'system-events.txt'), 'utf8'), 'windows.schannel-events').data;
    assert.deepEqual(
      d.events.map((e) => [e.id, e.alert, e.direction]),
      [
        [36887, 40, 'received'],
        [36887, 40, 'received'],
        [36887, 40, 'received'],
      ],
    );
    const gen = one('Error,6/5/2023 9:12:40 AM,Schannel,36888,None,"A fatal alert was generated and sent to the remote endpoint. This may result in termination of the connection. The TLS protocol defined fatal error code is 40. The Windows SChannel error state is 1205."', 'windows.schannel-events').data;
    assert.deepEqual(
      gen.events.map((e) => [e.id, e.alert, e.direction, e.errorState]),
      [[36888, 40, 'generated', 1205]],
    );
  });

  it('registry: the .reg export in UTF-16 (unlock_code masked, InstallDir), reg query, Get-ItemProperty, reg delete (seed 004)', async () => {
    const file = fixture('case-isolation', 'registry.reg');
    const text = await readTextPrefix(file);
    const d = one(text, 'registry.immunet', 'registry.reg').data;
    assert.equal(d.form, 'reg-export');
    assert.equal(d.installDir?.value, 'C:\\Program Files\\Cisco\\AMP\\');
    assert.deepEqual(d.unlockCode && { length: d.unlockCode.length, masked: d.unlockCode.masked }, { length: 6, masked: '••••••' });
    assert.ok(!JSON.stringify(d).includes('k3vq9m'));
    assert.ok(d.values.some((v) => v.name === 'ProductVersion' && v.value === '8.1.7.21417'));
    const q = one('C:\\>reg query "HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect"\r\n\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect\r\n    InstallDir    REG_SZ    D:\\Cisco\\AMP\\\r\n    unlock_code    REG_SZ    Qm4tZx\r\n', 'registry.immunet').data;
    assert.equal(q.form, 'reg-query');
    assert.equal(q.installDir?.value, 'D:\\Cisco\\AMP\\');
    assert.equal(q.unlockCode?.length, 6);
    assert.ok(!JSON.stringify(q).includes('Qm4tZx'));
    const ps = one('\nInstallDir   : C:\\Program Files\\Cisco\\AMP\\\nunlock_code  : Wp9rTs\nPSPath       : Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect\nPSChildName  : Immunet Protect\n', 'registry.immunet').data;
    assert.equal(ps.form, 'powershell');
    assert.equal(ps.unlockCode?.length, 6);
    assert.ok(!JSON.stringify(ps).includes('Wp9rTs'));
    const del = one('C:\\Windows\\system32>reg delete "HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect" /v "unlock_code" /f The operation completed successfully.', 'registry.immunet').data;
    assert.equal(del.unlockDelete?.result, 'deleted');
    const denied = one('C:\\Windows\\system32>reg delete "HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect" /v "unlock_code" /f\nERROR: Access is denied.\n', 'registry.immunet').data;
    assert.equal(denied.unlockDelete?.result, 'access-denied');
    const absent = one('C:\\>reg query "HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect" /v unlock_code\nERROR: The system was unable to find the specified registry key or value.\n', 'registry.immunet').data;
    assert.ok(absent.unlockCodeAbsent);
  });

  it('OS hints: systeminfo, sw_vers, os-release', () => {
    const w = one(readFileSync(fixture('case-healthy', 'systeminfo.txt'), 'utf8'), 'os.info').data;
    assert.equal(w.platform, 'windows');
    assert.equal(w.architecture?.value, 'x64-based PC');
    assert.equal(one('ProductName:    macOS\nProductVersion: 13.4\n', 'os.info').data.platform, 'macos');
    const l = one('NAME="Ubuntu"\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu 22.04.2 LTS"\n', 'os.info').data;
    assert.equal(l.platform, 'linux');
    assert.equal(l.version?.value, '22.04');
  });

  it('console isolation texts (seed 004): status, unlock code masked, error code, invalid code, events by name and id once', () => {
    const text = readFileSync(fixture('case-isolation', 'console.txt'), 'utf8');
    const d = one(text, 'console.isolation').data;
    assert.equal(d.final, 'isolated');
    assert.equal(d.unlockCodeShown?.length, 6);
    assert.deepEqual(
      d.errorCodes.map((e) => e.value),
      [3240624137],
    );
    assert.ok(d.invalidUnlockCode);
    assert.deepEqual(
      d.events.map((e) => e.type),
      [2164260941, 553648215],
    );
    const fx = one(readFileSync(fixture('text', 'isolation-stop-failed.txt'), 'utf8'), 'console.isolation').data;
    assert.deepEqual(
      fx.errorCodes.map((e) => e.value),
      [3240624137],
    );
  });

  it('local.xml and policy.xml by content, under any name', () => {
    const local = one('<?xml version="1.0"?>\n<config><agent><uuid>x</uuid></agent><tetra><lasterror>4294965193</lasterror></tetra></config>', 'connector.local-xml', 'state.txt');
    assert.equal(local.data.lastError?.value, 4294965193);
    const policy = recogniseText(readFileSync(fixture('case-revocation', 'policy.xml'), 'utf8'), 'policy.xml');
    assert.deepEqual(
      policy.map((o) => o.id),
      ['connector.policy-xml'],
    );
    const p = (policy[0] as OutputOf<'connector.policy-xml'>).data;
    assert.equal(p.crlCheck?.value, true);
    assert.equal(p.tetraUpdateServer?.value, 'tetra-defs.amp.cisco.com');
    assert.equal(p.tetraUpdateInterval?.value, 3600);
  });

  it('a file holding several pasted outputs gives each, in order', () => {
    const text = [CURL_OK_002, '', readFileSync(fixture('case-healthy', 'resolve.txt'), 'utf8'), readFileSync(fixture('case-healthy', 'ciphers.txt'), 'utf8')].join('\n');
    assert.deepEqual(
      recogniseText(text, 'all.txt').map((o) => o.id),
      ['curl.verbose', 'dns.resolve', 'tls.cipher-suites'],
    );
  });

  it('survives garbage, empty text, a BOM, lone CRs and long lines; bounds the text it reads', () => {
    assert.deepEqual(recogniseText('', 'e.txt'), []);
    let junk = '';
    for (let i = 0; i < 20000; i++) junk += String.fromCharCode((i * 7919) % 65536);
    assert.doesNotThrow(() => recogniseText(junk, 'junk.bin'));
    assert.doesNotThrow(() => recogniseText(`Resolve-DnsName ${'x'.repeat(200000)}\r* Trying ${'('.repeat(100000)}`, 'long.txt'));
    assert.equal(one(`\uFEFF${CONSOLE_000.replace(/\n/g, '\r')}`, 'console.computer-details').data.connectorVersion?.value, '8.1.7.21417');
    const big = `${CURL_OK_002}\n${'filler line\n'.repeat(Math.ceil(RECOGNISE_MAX_CHARS / 12) + 10)}curl: (35) never read`;
    const outs = recogniseText(big, 'big.txt');
    assert.equal(outs.length, 1);
    assert.equal(outs[0]!.partial, true);
    assert.equal((outs[0] as OutputOf<'curl.verbose'>).data.exit, undefined);
  });

  it('the real seeds (when present): every shape of BRIEF §2.5 in them is recognised, the unlock code never kept', { skip: !existsSync('/work/shared/domain/seeds') }, () => {
    const seeds = '/work/shared/domain/seeds';
    const idsOf = (name: string) => new Set(recogniseText(readFileSync(path.join(seeds, name), 'utf8'), name).map((o) => o.id));
    const s000 = idsOf('000_4929ea8ec4d5a4cc.txt');
    for (const id of ['console.computer-details', 'ampcli.posture', 'console.av-definitions', 'dns.resolve', 'curl.verbose'] as const) assert.ok(s000.has(id), id);
    const s001 = idsOf('001_69660d47037c9b96.txt');
    for (const id of ['wireshark.tls', 'tls.cipher-suites'] as const) assert.ok(s001.has(id), id);
    const s002 = idsOf('002_a166dfa6ac946512.txt');
    for (const id of ['console.computer-details', 'ampcli.posture', 'console.av-definitions', 'dns.resolve', 'curl.verbose'] as const) assert.ok(s002.has(id), id);
    const t004 = readFileSync(path.join(seeds, '004_64d22dea5ce19844.txt'), 'utf8');
    const o004 = recogniseText(t004, '004.txt');
    for (const id of ['console.computer-details', 'console.isolation', 'registry.immunet', 'ampcli.status'] as const) assert.ok(o004.some((o) => o.id === id), id);
    const r = rulesOver({ '004.txt': t004 });
    const json = JSON.stringify([o004, r]);
    assert.ok(!json.includes('fwq8qw') && !json.includes('vq8qw'), 'unlock code masked');
    // The seed ends "Not Isolated" and the unlock code was deleted: not reported as isolated.
    assert.ok(!ids(r.findings).includes('isolation.active'));
    assert.ok(ids(r.findings).includes('isolation.invalid-unlock-code'));
  });
});

describe('redaction', () => {
  it('masks what follows an unlock-code label or sfc.exe -n, keeps switches and placeholders', () => {
    assert.equal(redact('Unlock Code: fwq8qw'), 'Unlock Code: ••••••');
    assert.equal(redact(`Unlock Code${T}None${T}fwq8qw`), `Unlock Code${T}None${T}••••••`);
    assert.equal(redact('"unlock_code"="k3vq9m"'), '"unlock_code"="••••••"');
    assert.equal(redact('C:\\AMP\\7.4.5>sfc.exe -n fwq8qw'), 'C:\\AMP\\7.4.5>sfc.exe -n ••••••');
    assert.equal(redact('sfc.exe -n <unlock code>'), 'sfc.exe -n <unlock code>');
    assert.equal(redact('reg delete "HKLM\\SOFTWARE\\Immunet Protect" /v "unlock_code" /f'), 'reg delete "HKLM\\SOFTWARE\\Immunet Protect" /v "unlock_code" /f');
    assert.equal(redact('* Uses proxy http://bob:s3cret@proxy.lab.test:8080'), '* Uses proxy http://bob:••••@proxy.lab.test:8080');
    assert.equal(mask('abc'), '•••');
  });
});

describe('bundle rules: each positive and negative', () => {
  it('every finding: a rule id, its range at evidence[0], evidence files relative to the root', async () => {
    const known = new Set(BUNDLE_RULES.map((r) => r.id));
    for (const name of ['case-ciphers', 'case-dns-failed', 'case-isolation', 'case-isolation-old', 'case-lasterror', 'case-mac-isolation', 'case-revocation', 'case-schannel', 'case-stale']) {
      const c = await fixtureCase(name);
      assert.ok(c.findings.length > 0, name);
      for (const f of c.findings) {
        assert.ok(known.has(f.id), f.id);
        assert.deepEqual(f.range, f.evidence[0]!.range, `${name} ${f.id}`);
        for (const e of f.evidence) assert.ok(e.file && !path.isAbsolute(e.file) && !e.file.includes('\\'), `${name} ${f.id} ${e.file}`);
      }
    }
  });

  it('evidence ranges point at their text in the files (CRLF files included)', async () => {
    const c = await fixtureCase('case-stale');
    const f = only(c.findings, 'tetra.definitions-stale');
    const console = readFileSync(fixture('case-stale', 'console.txt'), 'utf8');
    assert.equal(f.evidence[0]!.file, 'console.txt');
    assert.equal(slice(console, f.evidence[0]!.range), 'TETRA 64 bit (daily version: 90588)');
    const rev = only((await fixtureCase('case-revocation')).findings, 'tls.revocation-offline');
    const curl = readFileSync(fixture('case-revocation', 'curl.txt'), 'utf8');
    assert.ok(slice(curl, rev.evidence[0]!.range).startsWith('schannel: next InitializeSecurityContext failed'));
  });

  it('dns.resolution-failed: the Resolve-DnsName error; curl’s "Could not resolve host"; not for A records', async () => {
    const f = only((await fixtureCase('case-dns-failed')).findings, 'dns.resolution-failed');
    assert.equal(f.severity, 'error');
    assert.deepEqual(
      [f.args['name'], f.args['error'], f.args['errorId'], f.args['updateServer']],
      ['tetra-defs.amp.cisco.com', 'name-error', 'DNS_ERROR_RCODE_NAME_ERROR', 1],
    );
    assert.ok(f.actions?.some((a) => a.command === 'Resolve-DnsName -Name tetra-defs.amp.cisco.com'));
    const viaCurl = only(rulesOver({ 'c.txt': '* Could not resolve host: tetra-defs.amp.cisco.com\n* Closing connection 0\ncurl: (6) Could not resolve host: tetra-defs.amp.cisco.com\n' }).findings, 'dns.resolution-failed');
    assert.equal(viaCurl.args['source'], 'curl');
    assert.ok(!ids((await fixtureCase('case-healthy')).findings).includes('dns.resolution-failed'));
  });

  it('tls.revocation-offline: from curl; with the policy’s CRL check it says the policy explains it', async () => {
    const f = only((await fixtureCase('case-revocation')).findings, 'tls.revocation-offline');
    assert.equal(f.severity, 'error');
    assert.deepEqual([f.args['code'], f.args['exit'], f.args['crlCheck']], ['0x80092013', 35, 1]);
    assert.deepEqual([f.args['explainedBy'], f.args['explainedByFile']], ['policy.crl-check', 'policy.xml']);
    const policyLines = readFileSync(fixture('case-revocation', 'policy.xml'), 'utf8').split('\n');
    assert.equal(policyLines[Number(f.args['explainedByLine']) - 1]!.trim(), '<crlc>1</crlc>');
    assert.equal(f.evidence.at(-1)!.file, 'policy.xml');
    assert.ok(f.actions?.some((a) => a.id === 'curl-ocsp'));
    const alone = only(rulesOver({ 'curl.txt': readFileSync(fixture('text', 'curl-revocation.txt'), 'utf8') }).findings, 'tls.revocation-offline');
    assert.equal(alone.args['crlCheck'], 0);
    assert.equal(alone.args['explainedBy'], undefined);
    assert.ok(!ids(rulesOver({ 'curl.txt': CURL_OK_002 }).findings).includes('tls.revocation-offline'));
  });

  it('tls.handshake-failure: Wireshark’s fatal alert after the Client Hello (explained by the cipher list); Schannel events alone a warning', async () => {
    const f = only((await fixtureCase('case-ciphers')).findings, 'tls.handshake-failure');
    assert.equal(f.severity, 'error');
    assert.equal(f.kind, 'tls.no-shared-cipher');
    assert.deepEqual([f.args['alert'], f.args['alertName'], f.args['afterClientHello'], f.args['host']], [40, 'handshake_failure', 1, 'tetra-defs.amp.cisco.com']);
    assert.equal(f.args['explainedBy'], 'tls.cipher-suites-missing');
    const s = only((await fixtureCase('case-schannel')).findings, 'tls.handshake-failure');
    assert.equal(s.severity, 'warning');
    assert.deepEqual([s.args['eventId'], s.args['count'], s.args['sources']], [36887, 3, 'schannel-event']);
    const curl = only(rulesOver({ 'c.txt': '* Trying 192.0.2.30:443...\n* schannel: next InitializeSecurityContext failed: SEC_E_ILLEGAL_MESSAGE (0x80090326) - This error usually occurs when a fatal SSL/TLS alert is received\ncurl: (35) schannel: next InitializeSecurityContext failed: SEC_E_ILLEGAL_MESSAGE (0x80090326)\n' }).findings, 'tls.handshake-failure');
    assert.deepEqual([curl.args['alert'], curl.args['code'], curl.severity], [40, '0x80090326', 'error']);
    assert.ok(!ids((await fixtureCase('case-healthy')).findings).includes('tls.handshake-failure'));
  });

  it('tls.cipher-suites-missing: the Get-TlsCipherSuite list and the Client Hello without the four suites; the Group Policy path as the fix', async () => {
    const c = await fixtureCase('case-ciphers');
    const all = c.findings.filter((f) => f.id === 'tls.cipher-suites-missing');
    assert.deepEqual(
      all.map((f) => [f.args['source'], f.args['offered']]),
      [
        ['get-tlsciphersuite', 8],
        ['client-hello', 6],
      ],
    );
    assert.ok(all[0]!.actions?.some((a) => a.id === 'cipher-suite-order-policy' && a.command.endsWith('SSL Configuration Settings > SSL Cipher Suite Order')));
    assert.ok(!ids((await fixtureCase('case-healthy')).findings).includes('tls.cipher-suites-missing'));
    // Windows 7 writes suites with their curve: still one of the four.
    assert.ok(!ids(rulesOver({ 'c.txt': 'Get-TlsCipherSuite | ft name\nName\n----\nTLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384_P384\nTLS_RSA_WITH_AES_128_CBC_SHA\n' }).findings).includes('tls.cipher-suites-missing'));
  });

  it(`tetra.definitions-stale: far behind the AV Definition Summary, or Last Seen > ${STALE_HOURS} h after the last update; not within a day`, async () => {
    const f = only((await fixtureCase('case-stale')).findings, 'tetra.definitions-stale');
    assert.equal(f.severity, 'warning');
    assert.equal(f.kind, 'tetra.behind-available');
    assert.deepEqual([f.args['current'], f.args['newest'], f.args['versionsBehind'], f.args['gapHours']], [90588, 90606, 18, 97.3]);
    // Seeds 000/002: 90604 against 90606, four hours after 90605 came out: ordinary.
    const seedLike = rulesOver({ 'console.txt': CONSOLE_000.replace('90600', '90604'), 'avdefs.txt': readFileSync(fixture('case-stale', 'avdefs.txt'), 'utf8') });
    assert.ok(!ids(seedLike.findings).includes('tetra.definitions-stale'));
    // The console alone: connected four days after the last update.
    const gap = only(rulesOver({ 'console.txt': CONSOLE_000.replace('2023-05-17 19:40:25 UTC', '2023-05-21 19:40:25 UTC') }).findings, 'tetra.definitions-stale');
    assert.equal(gap.kind, 'tetra.console-gap');
    assert.equal(gap.args['gapHours'], 96.4);
    assert.ok(!ids((await fixtureCase('case-healthy')).findings).includes('tetra.definitions-stale'));
  });

  it('tetra.console-update-failed: the console’s "Failed …" after Definitions Last Updated; -3000 "network timeout" asks for the cipher suites', async () => {
    const f = only((await fixtureCase('case-stale')).findings, 'tetra.console-update-failed');
    assert.deepEqual([f.severity, f.args['message']], ['warning', 'unreachable']);
    const timeout = only(rulesOver({ 'c.txt': CONSOLE_000.replace('The Connector was unable to reach the TETRA update server', 'Failed to update due to network timeout') }).findings, 'tetra.console-update-failed');
    assert.equal(timeout.kind, 'tetra.unknown-error');
    assert.equal(timeout.actions?.[0]?.command, 'Get-TlsCipherSuite | ft name');
    assert.ok(!ids((await fixtureCase('case-healthy')).findings).includes('tetra.console-update-failed'));
  });

  it('connector.forceupdate-unsupported: a Windows connector below 7.2.7 (information); not for 8.x nor a Mac connector', async () => {
    const f = only((await fixtureCase('case-isolation-old')).findings, 'connector.forceupdate-unsupported');
    assert.deepEqual([f.severity, f.args['version'], f.args['since']], ['information', '6.3.1', '7.2.7']);
    assert.ok(!ids((await fixtureCase('case-healthy')).findings).includes('connector.forceupdate-unsupported'));
    assert.ok(!ids((await fixtureCase('case-mac-isolation')).findings).includes('connector.forceupdate-unsupported'));
  });

  it('isolation.active: unlock_code in the registry, Isolated in the client; not once the code was deleted or the text ends Not Isolated', async () => {
    const reg = only((await fixtureCase('case-isolation')).findings, 'isolation.active');
    assert.deepEqual([reg.severity, reg.args['source'], reg.args['unlockCodeLength']], ['warning', 'registry', 6]);
    assert.ok(reg.actions?.some((a) => a.id === 'delete-unlock-code'));
    assert.ok(reg.actions?.some((a) => a.command === "& 'C:\\Program Files\\Cisco\\AMP\\8.1.7.21417\\sfc.exe' -n <unlock code>"));
    const mac = only((await fixtureCase('case-mac-isolation')).findings, 'isolation.active');
    assert.equal(mac.args['source'], 'client');
    assert.deepEqual(
      mac.actions?.map((a) => a.id),
      ['delete-isolation-state', 'daemon-unload', 'daemon-load'],
    );
    const deleted = rulesOver({ 'r.txt': 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect\n    unlock_code    REG_SZ    Zz9yXw\n\nC:\\>reg delete "HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect" /v "unlock_code" /f\nThe operation completed successfully.\n' });
    assert.ok(!ids(deleted.findings).includes('isolation.active'));
    assert.ok(!ids(rulesOver({ 'c.txt': `Status: Connected Scanned: Never Policy: Lab Isolation: Not Isolated` }).findings).includes('isolation.active'));
  });

  it('isolation.invalid-unlock-code: 3240624137 in the console text; not without it', async () => {
    const f = only((await fixtureCase('case-isolation')).findings, 'isolation.invalid-unlock-code');
    assert.deepEqual([f.severity, f.args['code'], f.args['hex'], f.args['count']], ['error', 3240624137, '0xC1280009', 1]);
    assert.ok(only(rulesOver({ 'e.txt': readFileSync(fixture('text', 'isolation-stop-failed.txt'), 'utf8') }).findings, 'isolation.invalid-unlock-code'));
    assert.ok(!ids((await fixtureCase('case-isolation-old')).findings).includes('isolation.invalid-unlock-code'));
  });

  it('isolation.unlock-limit-reached: event 553648215 or its name (once when both are written)', async () => {
    const f = only((await fixtureCase('case-isolation')).findings, 'isolation.unlock-limit-reached');
    assert.deepEqual([f.severity, f.args['type'], f.args['count'], f.args['waitMinutes']], ['warning', 553648215, 1, 30]);
    assert.ok(only(rulesOver({ 'e.txt': 'Event Type: 553648215' }).findings, 'isolation.unlock-limit-reached'));
    assert.ok(only(rulesOver({ 'e.txt': 'Endpoint Isolation Unlock Limit Reached\tDESKTOP-LAB02' }).findings, 'isolation.unlock-limit-reached'));
    assert.ok(!ids((await fixtureCase('case-isolation-old')).findings).includes('isolation.unlock-limit-reached'));
  });

  it('isolation.unsupported-connector: Windows below 7.0.5, Mac below 1.21.0, 32-bit Windows; not 8.1.7', async () => {
    const w = only((await fixtureCase('case-isolation-old')).findings, 'isolation.unsupported-connector');
    assert.deepEqual([w.args['platform'], w.args['version'], w.args['minimum']], ['windows', '6.3.1', '7.0.5']);
    const m = only((await fixtureCase('case-mac-isolation')).findings, 'isolation.unsupported-connector');
    assert.deepEqual([m.args['platform'], m.args['version'], m.args['minimum']], ['macos', '1.20.2', '1.21.0']);
    const x86 = only(rulesOver({ 's.txt': 'OS Name:  Microsoft Windows 10 Pro\nSystem Type:  X86-based PC\n', 'c.txt': readFileSync(fixture('text', 'isolation-stop-failed.txt'), 'utf8') }).findings, 'isolation.unsupported-connector');
    assert.equal(x86.kind, 'isolation.32-bit');
    assert.ok(!ids((await fixtureCase('case-isolation')).findings).includes('isolation.unsupported-connector'));
  });

  it('curl.failed: other exit codes (timeout) and a proxy’s 407; not a 200', () => {
    const r = rulesOver({
      'a.txt': '* Trying 192.0.2.30:443...\n* Connection timed out after 21036 milliseconds\ncurl: (28) Connection timed out after 21036 milliseconds\n',
      'b.txt': '* Trying 192.0.2.40:8080...\n* Connected to proxy.lab.test (192.0.2.40) port 8080 (#0)\n> CONNECT tetra-defs.amp.cisco.com:443 HTTP/1.1\n< HTTP/1.1 407 Proxy Authentication Required\ncurl: (56) CONNECT tunnel failed, response 407\n',
    });
    const all = r.findings.filter((f) => f.id === 'curl.failed');
    assert.deepEqual(
      all.map((f) => [f.kind, f.args['exit'], f.evidence[0]!.file]),
      [
        ['curl.timeout', 28, 'a.txt'],
        ['curl.proxy-auth', 56, 'b.txt'],
      ],
    );
    assert.ok(!ids(rulesOver({ 'c.txt': CURL_OK_002 }).findings).includes('curl.failed'));
  });
});

describe('the healthy case', () => {
  it('curl 200 OK, A records, the suites present, fresh definitions: no error and no warning, in the bundle or overall', async () => {
    const c = await fixtureCase('case-healthy');
    assert.deepEqual(
      new Set(c.outputs.map((o) => o.id)),
      new Set(['console.av-definitions', 'tls.cipher-suites', 'console.computer-details', 'curl.verbose', 'ampcli.posture', 'dns.resolve', 'os.info']),
    );
    assert.deepEqual(
      c.findings.filter((f) => f.severity === 'error' || f.severity === 'warning'),
      [],
    );
    assert.deepEqual(
      allFindings(c.analysis, c.outputs, c.inventory).filter((f) => f.severity === 'error' || f.severity === 'warning'),
      [],
    );
  });
});

describe('relations between files', () => {
  it('a log’s -3000 and local.xml’s lasterror relate to each other; both are explained by the cipher list', async () => {
    const c = await fixtureCase('case-lasterror');
    const logSet = c.analysis.logSets[0]!;
    const [log] = relateFindings(
      logSet.findings.filter((f) => f.id === 'tetra.update-failed'),
      c.analysis,
      c.outputs,
      c.inventory,
    );
    assert.deepEqual([log!.args['related'], log!.args['relatedFile'], log!.args['relatedLine']], ['local.lasterror', 'local.xml', 7]);
    assert.deepEqual([log!.args['explainedBy'], log!.args['explainedByFile']], ['tls.cipher-suites-missing', 'ciphers.txt']);
    assert.ok(log!.evidence.some((e) => e.file === 'local.xml' && e.text === '<lasterror>4294964296</lasterror>'));
    const local = c.analysis.files.find((f) => f.file === 'local.xml')!.xml!.findings[0]!;
    const [l] = relateFindings([local], c.analysis, c.outputs, c.inventory);
    assert.deepEqual([l!.args['related'], l!.args['relatedFile'], l!.args['relatedLine']], ['tetra.update-failed', 'Cisco/AMP/8.1.7.21417/sfc.exe.log', 4]);
    // The inputs are never changed.
    assert.equal(logSet.findings.find((f) => f.id === 'tetra.update-failed')!.args['related'], undefined);
  });

  it('unrelated findings come back as the same objects', async () => {
    const c = await fixtureCase('case-lasterror');
    const debug = c.analysis.logSets[0]!.findings.find((f) => f.id === 'log.debug-disabled')!;
    assert.equal(relateFindings([debug], c.analysis, c.outputs)[0], debug);
  });
});

describe('the unlock code is never kept', () => {
  it('in no output, inventory or finding of a case holding it in the registry and the console', async () => {
    for (const name of ['case-isolation']) {
      const c = await fixtureCase(name);
      const json = JSON.stringify([c.outputs, c.inventory, c.findings, allFindings(c.analysis, c.outputs, c.inventory)]);
      assert.ok(!json.includes('k3vq9m'), name);
      assert.ok(json.includes('••••••'));
    }
    const forms = ['sfc.exe -n Hq2wE9', 'Unlock Code\tNone\tHq2wE9', 'unlock_code    REG_SZ    Hq2wE9', '"unlock_code"="Hq2wE9"', 'unlock_code : Hq2wE9', 'Isolated for 1 hour\tUnlock Code:Hq\t2wE9'];
    for (const f of forms) {
      const text = `HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect\n${f}\nIsolated\n`;
      const r = rulesOver({ 'x.txt': text });
      const json = JSON.stringify([recogniseText(text, 'x.txt'), r]);
      assert.ok(!/Hq2wE9|2wE9/.test(json), f);
    }
  });
});

describe('inventory', () => {
  it('platform, versions, logs, XML, outputs and the missing items of a TETRA case with a log not in debug', async () => {
    const c = await fixtureCase('case-lasterror');
    const inv = c.inventory;
    assert.equal(inv.platform, 'windows');
    assert.equal(inv.newestConnectorVersion, '8.1.7.21417');
    assert.deepEqual(
      inv.logs.map((l) => [l.file, l.version, l.debug, l.failures]),
      [['Cisco/AMP/8.1.7.21417/sfc.exe.log', '8.1.7.21417', false, 1]],
    );
    assert.deepEqual(inv.localXml, ['local.xml']);
    assert.deepEqual(inv.policyXml, { files: [], readable: false });
    assert.deepEqual(inv.cases, { tetra: true, isolation: false });
    const missing = new Map(inv.missing.map((m) => [m.id, m]));
    assert.equal(missing.get('missing.debug-log')!.how.split('\n')[0], "& 'C:\\Program Files\\Cisco\\AMP\\8.1.7.21417\\sfc.exe' -l start");
    assert.deepEqual(missing.get('missing.policy-xml')!.args, { expected: 1, since: '8.1.3', where: 'console', connectorVersion: '8.1.7.21417' });
    assert.equal(missing.get('missing.dns-output')!.how, 'Resolve-DnsName -Name tetra-defs.amp.cisco.com');
    assert.equal(missing.get('missing.curl-output')!.how, 'curl.exe -v https://tetra-defs.amp.cisco.com');
    assert.ok(missing.has('missing.packet-capture'), '-3000 wants a capture');
    assert.ok(!missing.has('missing.cipher-suites'), 'the suites are there');
    assert.ok(!missing.has('missing.local-xml'));
  });

  it('the healthy case lacks only what is expected or outside it', async () => {
    const inv = (await fixtureCase('case-healthy')).inventory;
    assert.equal(inv.platform, 'windows');
    assert.deepEqual(
      inv.tetraVersions.map((t) => [t.version, t.via]),
      [
        [90606, 'console'],
        [90606, 'posture'],
      ],
    );
    assert.equal(inv.availableTetraVersion?.version, 90606);
    assert.equal(inv.tetraUpdateServer.via, 'console');
    const got = inv.missing.map((m) => m.id).sort();
    assert.deepEqual(got, ['missing.connector-log', 'missing.local-xml', 'missing.policy-xml']);
  });

  it('commands carry the policy’s custom update server and the registry’s install folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-case-'));
    writeFileSync(
      path.join(dir, 'policy.xml'),
      readFileSync(fixture('case-revocation', 'policy.xml'), 'utf8').replace('<server>tetra-defs.amp.cisco.com</server>', '<server>https://tetra.mirror.lab.test/defs</server>'),
    );
    writeFileSync(path.join(dir, 'console.txt'), CONSOLE_000.replace('7.21417', '7.21417'));
    writeFileSync(path.join(dir, 'reg.txt'), 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect\n    InstallDir    REG_SZ    D:\\Apps\\Cisco\\AMP\\\n');
    const c = await caseOf(dir);
    assert.deepEqual([c.inventory.tetraUpdateServer.host, c.inventory.tetraUpdateServer.via, c.inventory.installDir], ['tetra.mirror.lab.test', 'policy', 'D:\\Apps\\Cisco\\AMP']);
    const missing = new Map(c.inventory.missing.map((m) => [m.id, m]));
    assert.equal(missing.get('missing.dns-output')!.how, 'Resolve-DnsName -Name tetra.mirror.lab.test');
    assert.equal(missing.get('missing.local-xml')!.how, "(Select-Xml -Path 'D:\\Apps\\Cisco\\AMP\\local.xml' -XPath '//tetra/lasterror').Node.InnerText");
    const failed = only(c.findings, 'tetra.console-update-failed');
    assert.ok(failed.actions?.some((a) => a.command === 'curl.exe -v https://tetra.mirror.lab.test'));
    assert.ok(failed.actions?.some((a) => a.command === "& 'D:\\Apps\\Cisco\\AMP\\8.1.7.21417\\sfc.exe' -forceupdate"));
  });

  it('isolation: the registry export asked for on Windows; the isolation state file on macOS, no Windows commands there', async () => {
    const old = new Set((await fixtureCase('case-isolation-old')).inventory.missing.map((m) => m.id));
    assert.ok(old.has('missing.registry-export'));
    assert.ok(!(await fixtureCase('case-isolation')).inventory.missing.some((m) => m.id === 'missing.registry-export'));
    const mac = (await fixtureCase('case-mac-isolation')).inventory;
    assert.equal(mac.platform, 'macos');
    assert.deepEqual(
      mac.missing.map((m) => m.id),
      ['missing.policy-xml', 'missing.isolation-state'],
    );
    assert.ok(mac.missing.every((m) => !/\.exe|Get-|reg /.test(m.how)));
  });
});
