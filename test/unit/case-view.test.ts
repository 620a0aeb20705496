import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzePath, type PathAnalysis } from '../../src/core/bundle/inputs';
import { lookup } from '../../src/core/codes';
import { caseView, MAX_CODE_OCCURRENCES, MAX_TIMELINE, POLICY_UPDATED } from '../../src/core/diagnose/case';
import type { CaseView, EndpointFact, EndpointFactId } from '../../src/core/diagnose/types';
import { analyzeLogText } from '../../src/core/log/analyze';
import { stitchLogs } from '../../src/core/log/stitch';
import { codeDescription, codeLabel, endpointFactDescription, endpointFactLabel, timelineDescription, timelineLabel } from '../../src/shared/render-case';
import { fixture } from '../support/paths';

const view = async (...parts: string[]): Promise<CaseView> => caseView(await analyzePath(fixture(...parts)));
const factOf = (v: CaseView, id: EndpointFactId): EndpointFact | undefined => v.endpoint.find((f) => f.id === id);
const V745 = 'Cisco/AMP/7.4.5.20701/sfc.exe.log';
const V817 = 'Cisco/AMP/8.1.7.21417/sfc.exe.log';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'bl-case-'));
}

/** A PathAnalysis of logs read from text (no file time: the year comes only from the log). */
function fromLogs(logs: Array<{ file: string; text: string; reference?: Date }>): PathAnalysis {
  const files = logs.map((l) => ({ file: l.file, kind: 'connector-log' as const, analysis: analyzeLogText(l.text, l.reference ? { file: l.file, reference: l.reference } : { file: l.file }) }));
  return { root: '/case', kind: 'folder', files, findings: [], logSets: stitchLogs(files.map((f) => ({ file: f.file, analysis: f.analysis }))), outputs: [], unreadable: [] };
}

describe('caseView: endpoint', () => {
  it('lists the known facts in order, each with its value and every place that reads it', async () => {
    const v = await view('caseview-bundle');
    assert.deepEqual(
      v.endpoint.map((f) => `${f.id}=${f.value}`),
      [
        'hostname=DESKTOP-CASE',
        'os=Windows 10 Enterprise',
        'platform=windows',
        'connector-version=8.1.7.21417',
        'connector-version=7.4.5.20701',
        'connector-guid=8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
        'policy-name=Lab Protect',
        'policy-serial=57',
        'tetra-version=90700',
        'tetra-age=2023-03-05 09:00:00 UTC',
        'update-server=tetra-defs.eu.amp.cisco.com',
        'proxy=proxy.lab.example:3128',
        'isolation=isolated',
      ],
    );
    assert.deepEqual(factOf(v, 'hostname')?.places, [{ file: 'console.txt', line: 0 }]);
    // The console's GUID and posture's (upper case) are one value, read in two places.
    assert.deepEqual(factOf(v, 'connector-guid')?.places, [
      { file: 'console.txt', line: 3 },
      { file: 'posture.txt', line: 0 },
    ]);
    assert.equal(factOf(v, 'connector-guid')?.args['other'], undefined);
    const versions = v.endpoint.filter((f) => f.id === 'connector-version');
    assert.deepEqual(versions[0]?.args, { via: 'version-folder', vias: 'version-folder,console,posture' });
    assert.deepEqual(versions[0]?.places[0], { file: `${V817}`, line: 0 });
    assert.deepEqual(versions[1]?.places, [{ file: V745, line: 0 }]);
    assert.deepEqual(factOf(v, 'policy-serial')?.places, [{ file: 'status.txt', line: 2 }]);
    // The newest definitions any source reports: ampcli status and the log's last update agree.
    assert.deepEqual(factOf(v, 'tetra-version')?.places, [
      { file: 'status.txt', line: 5 },
      { file: `${V817}`, line: 3 },
    ]);
    // Latest update (ampcli, 2023-03-05 09:00 UTC) against the newest time (console Last Seen 2023-03-17 09:00 UTC).
    assert.deepEqual(factOf(v, 'tetra-age')?.args, { days: 12, via: 'ampcli' });
    assert.deepEqual(factOf(v, 'tetra-age')?.places, [{ file: 'status.txt', line: 6 }]);
    assert.deepEqual(factOf(v, 'update-server')?.args, { via: 'console' });
    assert.deepEqual(factOf(v, 'proxy')?.places, [{ file: 'status.txt', line: 4 }]);
    // The registry's unlock_code says isolated; the client says not: both are shown.
    assert.deepEqual(factOf(v, 'isolation')?.args, { via: 'registry', reason: 'unlock-code', other: 'not-isolated', otherVia: 'ampcli' });
    assert.deepEqual(factOf(v, 'isolation')?.places, [{ file: 'registry.txt', line: 4 }]);
  });

  it('never holds a secret: no unlock code, no proxy credentials', async () => {
    for (const dir of ['caseview-bundle', 'case-isolation']) {
      const json = JSON.stringify(await view(dir));
      for (const secret of ['q7ZpX2wK', 'k3vq9m', 'S3cretPw', 'svc:']) assert.ok(!json.includes(secret), `${dir}: ${secret}`);
    }
  });

  it('reads a case folder of pasted outputs (console, systeminfo, posture, AV Definition Summary)', async () => {
    const v = await view('case-healthy');
    assert.equal(factOf(v, 'hostname')?.value, 'DESKTOP-LAB05');
    assert.deepEqual(factOf(v, 'os'), { id: 'os', value: 'Microsoft Windows 11 Pro', args: { via: 'systeminfo', version: '10.0.22621 N/A Build 22621' }, places: [{ file: 'systeminfo.txt', line: 1 }] });
    assert.deepEqual(factOf(v, 'platform')?.args, { via: 'os-info' });
    assert.deepEqual(factOf(v, 'tetra-version')?.args, { via: 'console', version: 90606, available: 90606 });
    assert.equal(factOf(v, 'proxy'), undefined);
    assert.equal(factOf(v, 'isolation'), undefined);

    const stale = await view('case-stale');
    assert.deepEqual(factOf(stale, 'tetra-version')?.args, { via: 'console', version: 90588, available: 90606, behind: 18 });
    assert.deepEqual(factOf(stale, 'tetra-age')?.args, { days: 4, via: 'console' });
    assert.deepEqual(factOf(stale, 'tetra-age')?.places, [{ file: 'console.txt', line: 7 }]);
  });

  it('reads isolation from the registry, the console, ampcli and the logs', async () => {
    const iso = await view('case-isolation');
    assert.deepEqual(factOf(iso, 'isolation'), {
      id: 'isolation',
      value: 'isolated',
      args: { via: 'registry', reason: 'unlock-code' },
      places: [
        { file: 'registry.reg', line: 4 },
        { file: 'console.txt', line: 1 },
      ],
    });
    const mac = await view('case-mac-isolation');
    assert.deepEqual(factOf(mac, 'isolation')?.args, { via: 'ampcli' });
    assert.equal(factOf(mac, 'platform')?.value, 'macos');
    // A start followed by a stop in the next rotated file: not isolated (the logs' isolation.active is superseded).
    const started = '(1, +0 ms) Mar 03 09:00:00 [2]: imn::CEventManager::PublishEvent: publishing type=553648202\n';
    const stopped = '(3, +0 ms) Mar 04 09:00:00 [2]: imn::CEventManager::PublishEvent: publishing type=553648204\n';
    const logs = fromLogs([
      { file: 'x/sfc.exe.log.1', text: started },
      { file: 'x/sfc.exe.log', text: stopped },
    ]);
    assert.deepEqual(factOf(caseView(logs), 'isolation'), { id: 'isolation', value: 'not-isolated', args: { via: 'log' }, places: [{ file: 'x/sfc.exe.log', line: 0 }] });
    const still = fromLogs([{ file: 'x/sfc.exe.log', text: started }]);
    assert.deepEqual(factOf(caseView(still), 'isolation'), { id: 'isolation', value: 'isolated', args: { via: 'log' }, places: [{ file: 'x/sfc.exe.log', line: 0 }] });
  });

  it('names a second value when the case folder holds two endpoints', async () => {
    const dir = tempDir();
    const consoleText = (host: string, guid: string) => `Hostname\t${host}\tGroup\tLab\nConnector GUID\t${guid}\tLast Seen\t2023-05-18 21:37:02 UTC\n`;
    writeFileSync(path.join(dir, 'a.txt'), consoleText('HOST-A', '11111111-2222-4333-8444-555555555555'));
    writeFileSync(path.join(dir, 'b.txt'), consoleText('HOST-B', '66666666-7777-4888-8999-aaaaaaaaaaaa'));
    const v = caseView(await analyzePath(dir));
    assert.deepEqual(factOf(v, 'hostname'), { id: 'hostname', value: 'HOST-A', args: { via: 'console', others: 1, other: 'HOST-B' }, places: [{ file: 'a.txt', line: 0 }] });
    assert.equal(factOf(v, 'connector-guid')?.args['other'], '66666666-7777-4888-8999-aaaaaaaaaaaa');
  });

  it('says definitions never updated when AVStat says so and nothing dates an update (seed 001)', async () => {
    const v = await view('seed-001');
    assert.deepEqual(factOf(v, 'tetra-age'), { id: 'tetra-age', value: 'never', args: { via: 'log', never: 1 }, places: [{ file: 'sfc.exe.log', line: 17 }] });
  });
});

describe('caseView: codes', () => {
  it('merges a status written signed and unsigned, with exact counts across logs and local.xml', async () => {
    const v = await view('proxy-bundle');
    assert.equal(v.codes.length, 1);
    const c = v.codes[0]!;
    // Three failed attempts (-2103), AVStat's last err code and local.xml's lasterror (4294965193).
    assert.deepEqual({ text: c.text, u32: c.u32, hint: c.hint, count: c.count }, { text: '-2103', u32: 4294965193, hint: 'tetra-status', count: 5 });
    assert.deepEqual(
      c.occurrences.map((o) => `${o.file}:${o.range.start.line}`),
      [`${V817}:3`, `${V817}:8`, `${V817}:12`, `${V817}:14`, 'local.xml:6'],
    );
    // The form written most often names the code (seed 001: AVStat writes 4294964296 twice, the attempt -3000 once).
    const seed = await view('seed-001');
    assert.deepEqual(
      seed.codes.map((x) => [x.text, x.u32, x.count]),
      [['4294964296', 4294964296, 3]],
    );
  });

  it('collects codes from every source with their context, most frequent first, then in time order', async () => {
    const v = await view('caseview-bundle');
    assert.deepEqual(
      v.codes.map((c) => `${c.hint}:${c.text}:${c.count}`),
      [
        'tetra-status:-2109:4',
        'event-type:553648130:2',
        'event-type:553648202:1',
        'event-type:2164260866:1',
        'event-type:2164260941:1',
        'event-type:553648215:1',
        'event-type:553648204:1',
        'certificate:0x80092013:1',
      ],
    );
    // AVStat's `last err code - 0` is no code; the revocation line keeps its text.
    const tetra = v.codes[0]!;
    assert.deepEqual(
      tetra.occurrences.map((o) => `${o.file}:${o.range.start.line}`),
      [`${V745}:3`, `${V745}:5`, `${V817}.1:5`, `${V817}:0`],
    );
    assert.match(v.codes.at(-1)!.occurrences[0]!.text, /0x80092013/);
  });

  it('reads codes in pasted outputs: curl, Schannel events, console isolation', async () => {
    const rev = await view('case-revocation');
    assert.deepEqual(
      rev.codes.map((c) => [c.hint, c.text, c.u32, c.count, c.occurrences[0]?.file, c.occurrences[0]?.range.start.line]),
      [
        ['certificate', '0x80092013', 0x80092013, 1, 'curl.txt', 5],
        ['curl-exit', '35', 35, 1, 'curl.txt', 8],
      ],
    );
    const schannel = await view('case-schannel');
    assert.deepEqual(
      schannel.codes.map((c) => [c.hint, c.text, c.count, c.occurrences.map((o) => o.range.start.line)]),
      [['tls-alert', '40', 3, [10, 16, 17]]],
    );
    const iso = await view('case-isolation');
    assert.deepEqual(
      iso.codes.map((c) => [c.hint, c.text, c.count]),
      [
        ['event-type', '2164260941', 1],
        ['isolation-error', '3240624137', 1],
        ['event-type', '553648215', 1],
      ],
    );
  });

  it('keeps counts exact and occurrences bounded', async () => {
    const dir = tempDir();
    const n = 2600;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const t = new Date(Date.UTC(2023, 0, 1) + i * 60_000);
      const ts = `Jan ${String(t.getUTCDate()).padStart(2, '0')} ${t.toISOString().slice(11, 19)}`;
      lines.push(`(${i}, +0 ms) ${ts} [1]: PerformTetraUpdate: bUpdated = FALSE, state: 20, status: ${i % 2 ? 4294965193 : -2103}`, `(${i}, +0 ms) ${ts} [1]: PerformTetraUpdate: sig count: 0, version: 0`);
    }
    mkdirSync(path.join(dir, '8.1.7.21417'));
    writeFileSync(path.join(dir, '8.1.7.21417', 'sfc.exe.log'), lines.join('\n') + '\n');
    const v = caseView(await analyzePath(dir));
    assert.equal(v.codes.length, 1);
    assert.equal(v.codes[0]!.count, n);
    assert.equal(v.codes[0]!.u32, 4294965193);
    assert.ok(v.codes[0]!.occurrences.length <= MAX_CODE_OCCURRENCES);

    // The timeline keeps the most recent events; its total stays exact.
    assert.equal(v.timelineTotal, n);
    assert.equal(v.timeline.length, MAX_TIMELINE);
    assert.equal(v.timeline[0]!.place.line, 2 * (n - MAX_TIMELINE));
    assert.equal(v.timeline.at(-1)!.place.line, 2 * (n - 1));
    assert.ok(v.timeline.every((e, i) => e.iso && e.kind === 'tetra.failed' && (i === 0 || v.timeline[i - 1]!.time <= e.time)));
  });
});

describe('caseView: timeline', () => {
  it('orders TETRA, isolation and policy events across version folders and rotated files', async () => {
    const v = await view('caseview-bundle');
    assert.equal(v.timelineTotal, 10);
    assert.deepEqual(
      v.timeline.map((e) => `${e.time} ${e.kind} ${JSON.stringify(e.args)} ${e.place.file}:${e.place.line}`),
      [
        `2023-03-01T10:00:00 policy.updated {"type":553648130} ${V745}:0`,
        `2023-03-01T11:00:00 tetra.failed {"status":-2109} ${V745}:3`,
        `2023-03-03T09:00:00 isolation.started {"type":553648202} ${V817}.1:1`,
        `2023-03-03T10:00:00 policy.failed {"type":2164260866} ${V817}.1:2`,
        `2023-03-03T11:00:00 isolation.failed {"type":2164260941,"action":"stop"} ${V817}.1:3`,
        `2023-03-03T11:05:00 isolation.unlock-limit {"type":553648215} ${V817}.1:4`,
        `2023-03-03T12:00:00 tetra.failed {"status":-2109} ${V817}.1:5`,
        `2023-03-05T08:30:00 isolation.stopped {"type":553648204} ${V817}:1`,
        `2023-03-05T08:59:00 tetra.updated {"version":90700} ${V817}:3`,
        `2023-03-05T09:30:00 policy.updated {"type":553648130} ${V817}:5`,
      ],
    );
    assert.ok(v.timeline.every((e) => e.iso));
    assert.match(v.timeline[1]!.text, /bUpdated = FALSE/);

    const rotated = await view('rotated');
    assert.deepEqual(
      rotated.timeline.map((e) => `${e.kind} ${e.place.file}`),
      [`tetra.failed ${V745}.1`, `tetra.failed ${V745}`, `tetra.updated ${V745}`, `tetra.failed ${V817}`],
    );
    assert.ok(rotated.timeline.every((e, i) => e.iso && (i === 0 || rotated.timeline[i - 1]!.time <= e.time)));
  });

  it('keeps each log in its own order when merging by time, and puts logs without a year last', () => {
    const ref = new Date(Date.UTC(2023, 5, 30));
    const a = [
      '(1, +0 ms) Jun 10 10:00:00 [1]: PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -2103',
      '(1, +0 ms) Jun 10 10:00:00 [1]: PerformTetraUpdate: sig count: 0, version: 0',
      // Written late (a thread behind): stays after the line before it.
      '(2, +0 ms) Jun 10 09:00:00 [2]: imn::CEventManager::PublishEvent: publishing type=553648202',
    ].join('\n');
    const b = '(3, +0 ms) Jun 10 09:30:00 [1]: imn::CEventManager::PublishEvent: publishing type=553648204\n';
    const c = '(4, +0 ms) Jan 01 00:00:00 [1]: imn::CEventManager::PublishEvent: publishing type=2164260866\n';
    const v = caseView(
      fromLogs([
        { file: '7.4.5.20701/sfc.exe.log', text: a, reference: ref },
        { file: '8.1.7.21417/sfc.exe.log', text: b, reference: ref },
        { file: 'other/sfc.exe.log', text: c },
      ]),
    );
    assert.deepEqual(
      v.timeline.map((e) => `${e.time} ${e.iso} ${e.kind}`),
      ['2023-06-10T09:30:00 true isolation.stopped', '2023-06-10T10:00:00 true tetra.failed', '2023-06-10T09:00:00 true isolation.started', 'Jan 01 00:00:00 false policy.failed'],
    );
  });

  it('maps the Policy Update type the catalogue names', () => {
    assert.equal(lookup('se.event', POLICY_UPDATED)?.symbol, 'Policy Update');
  });
});

describe('caseView: empty', () => {
  it('gives an empty view for an empty folder', async () => {
    assert.deepEqual(caseView(await analyzePath(tempDir())), { endpoint: [], codes: [], timeline: [], timelineTotal: 0 });
  });
});

describe('render-case', () => {
  it('words endpoint facts', async () => {
    const v = await view('caseview-bundle');
    const words = (id: EndpointFactId) => {
      const f = factOf(v, id)!;
      return `${endpointFactLabel(f)}: ${endpointFactDescription(f)}`;
    };
    assert.equal(words('hostname'), 'Host name: DESKTOP-CASE (console)');
    assert.equal(words('platform'), 'Platform: Windows (console)');
    assert.equal(endpointFactDescription(v.endpoint.find((f) => f.id === 'connector-version')!), '8.1.7.21417 (version folder, console, AmpCLI posture)');
    assert.equal(words('policy-name'), 'Policy: Lab Protect (ampcli status)');
    assert.equal(words('policy-serial'), 'Policy serial number: 57 (ampcli status)');
    assert.equal(words('tetra-age'), 'Definitions last updated: 2023-03-05 09:00:00 UTC (12 days before the bundle\u2019s newest time; ampcli status)');
    assert.equal(words('update-server'), 'TETRA update server: tetra-defs.eu.amp.cisco.com (console)');
    assert.equal(words('proxy'), 'Proxy: proxy.lab.example:3128 (ampcli status)');
    assert.equal(words('isolation'), 'Endpoint Isolation: Isolated (registry: unlock_code present); ampcli status says Not isolated');

    const stale = await view('case-stale');
    assert.equal(endpointFactDescription(factOf(stale, 'tetra-version')!), '90588 (console; 90606 available, 18 behind)');
    const seed = await view('seed-001');
    assert.equal(endpointFactDescription(factOf(seed, 'tetra-age')!), 'never (connector log)');
  });

  it('words codes with the decoder, as the hover does', async () => {
    const seed = await view('seed-001');
    assert.equal(codeLabel(seed.codes[0]!), '4294964296 (-3000) Unknown_Error');
    assert.equal(codeDescription(seed.codes[0]!), 'TETRA update: unknown error. · 3 times');
    const v = await view('caseview-bundle');
    const byText = (t: string) => v.codes.find((c) => c.text === t)!;
    assert.equal(codeLabel(byText('-2109')), '-2109');
    assert.equal(codeDescription(byText('-2109')), 'TETRA update: connected to the proxy, but the download failed. · 4 times');
    assert.equal(codeLabel(byText('0x80092013')), '0x80092013 CRYPT_E_REVOCATION_OFFLINE');
    assert.equal(codeLabel(byText('2164260866')), '2164260866 Policy Update Failure');
    assert.equal(codeDescription(byText('2164260866')), 'Event type: Policy Update Failure. · once');
    const iso = await view('case-isolation');
    assert.equal(codeDescription(iso.codes.find((c) => c.hint === 'isolation-error')!), 'Endpoint Isolation: invalid unlock code (Isolation Stop Failed). · once');
    const rev = await view('case-revocation');
    assert.equal(codeLabel(rev.codes.find((c) => c.hint === 'curl-exit')!), '35 CURLE_SSL_CONNECT_ERROR');
  });

  it('words the timeline', async () => {
    const v = await view('caseview-bundle');
    assert.deepEqual(
      v.timeline.map((e) => timelineLabel(e)),
      [
        'Policy updated',
        'TETRA update failed with -2109',
        'Isolation started',
        'Policy update failed',
        'Isolation stop failed',
        'Unlock limit reached (unlocking locked for 30 minutes)',
        'TETRA update failed with -2109',
        'Isolation stopped',
        'TETRA updated to version 90700',
        'Policy updated',
      ],
    );
    assert.equal(timelineDescription(v.timeline[1]!), '2023-03-01 11:00:00 · 7.4.5.20701/sfc.exe.log · TETRA update: connected to the proxy, but the download failed.');
    assert.equal(timelineDescription(v.timeline[2]!), '2023-03-03 09:00:00 · 8.1.7.21417/sfc.exe.log.1');
  });
});

describe('endpoint facts from local.xml and policy.xml', () => {
  it('reads the GUID from local.xml, the policy name and serial from policy.xml, with their lines', async () => {
    const proxy = await view('proxy-bundle');
    assert.deepEqual(factOf(proxy, 'connector-guid')?.places[0], { file: 'local.xml', line: 3 });
    assert.equal(factOf(proxy, 'connector-guid')?.args['via'], 'local.xml');
    const revocation = await view('case-revocation');
    assert.equal(factOf(revocation, 'policy-name')?.value, 'Lab Protect');
    assert.equal(factOf(revocation, 'policy-serial')?.value, '57');
    assert.equal(factOf(revocation, 'policy-name')?.places[0]?.file, 'policy.xml');
  });

  it('reads the proxy as host:port and never keeps credentials written into it', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'policy.xml'),
      '<config><janus><policy><name>P</name><serial>3</serial></policy></janus><proxy><server>http://admin:S3cret!@proxy.corp.example:3128</server><port>3128</port><type>1</type><password>S3cret!</password></proxy></config>',
    );
    const v = caseView(await analyzePath(dir));
    const proxy = factOf(v, 'proxy');
    assert.equal(proxy?.value, 'proxy.corp.example:3128');
    assert.ok(!JSON.stringify(v).includes('S3cret'), 'the password appears nowhere');
  });

  it('a password holding @ or blanks never shows: the credentials end at the last @ (review of issue 8)', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'policy.xml'), '<config><proxy><server>svc:Winter@Secret2024 x@proxy.example.test</server><port>8080</port></proxy></config>');
    const analysis = await analyzePath(dir);
    const v = caseView(analysis);
    assert.equal(factOf(v, 'proxy')?.value, 'proxy.example.test:8080');
    const everything = JSON.stringify({ v, outputs: analysis.outputs, findings: analysis.bundleFindings });
    assert.ok(!everything.includes('Secret2024') && !everything.includes('Winter'), everything.slice(0, 400));
  });
});

describe('endpoint host name from systeminfo (review of issue 8)', () => {
  it('reads Host Name: from a systeminfo output, at its line', async () => {
    const v = await view('case-healthy');
    const host = factOf(v, 'hostname');
    assert.ok(host, JSON.stringify(v.endpoint.map((f) => f.id)));
    assert.equal(host.value.toUpperCase(), 'DESKTOP-LAB05');
    assert.ok(host.places.some((p) => p.file === 'systeminfo.txt' && p.line === 0), JSON.stringify(host.places));
  });
});
