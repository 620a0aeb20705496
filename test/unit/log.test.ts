import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeLogFile } from '../../src/core/bundle/inputs';
import { analyzeLogText, ipv4FromLittleEndian, LogAnalyzer, type LogEvent } from '../../src/core/log/analyze';
import { componentOf, componentOfByExpression, EntryAssembler, HEADER, parseHeader, type LogEntry } from '../../src/core/log/entry';
import { PATTERNS_BY_COMPONENT, PATTERNS_BY_PREFIX, type EventPattern, type LogEventKind } from '../../src/core/log/events';
import { TuneCollector } from '../../src/core/tune/aggregate';
import { splitLines } from '../../src/core/text/lines';
import { CancelledError } from '../../src/core/types';
import { fixture } from '../support/paths';

const seed001 = readFileSync(fixture('seed-001', 'sfc.exe.log'), 'utf8');
const proxyLog = readFileSync(fixture('proxy-bundle', 'Cisco', 'AMP', '8.1.7.21417', 'sfc.exe.log'), 'utf8');
const debugLog = readFileSync(fixture('logs', 'debug-events.log'), 'utf8');
const noDebugLog = readFileSync(fixture('logs', 'no-debug.log'), 'utf8');

const tmp = mkdtempSync(path.join(tmpdir(), 'bundle-lens-log-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function entries(text: string): LogEntry[] {
  const out: LogEntry[] = [];
  const a = new EntryAssembler((e) => out.push(e));
  for (const l of splitLines(text)) a.push(l);
  a.finish();
  return out;
}

const ids = (text: string, options = {}) => analyzeLogText(text, options).findings.map((f) => f.id);

describe('log entries', () => {
  it('parses the header fields of a seed line', () => {
    const [e] = entries('(978223515, +0 ms) Aug 04 07:30:23 [11944]: ERROR: TetraUpdateInterface::update Update failed with error -3000');
    assert.equal(e?.tick, 978223515);
    assert.equal(e?.month, 8);
    assert.equal(e?.day, 4);
    assert.equal(e?.seconds, 7 * 3600 + 30 * 60 + 23);
    assert.equal(e?.thread, 11944);
    assert.equal(e?.level, 'ERROR');
  });

  it('joins the continuation lines of seed 001 (verbatim) to their entry', () => {
    const es = entries(seed001);
    assert.equal(es.length, 12);
    assert.equal(es[0]?.message, 'TetraUpdateInterface::update updateDir: C:\\Program Files\\Cisco\\AMP\\tetra, 20, -3000, -3000, 0, 0, 0');
    assert.equal(es[1]?.message, 'ERROR: TetraUpdateInterface::update Update failed with error -3000');
    assert.equal(es[6]?.message, 'FASharedPtr<class TetraUpdateInterface>::ReleaseInstance count: 1');
    assert.equal(es[11]?.message, 'AVStat::CopyInternal : engine - 2, defs - 0, first failure - Thu Aug 4 06:35:16 2022, last err code - 4294964296, last upd success - never');
  });

  it('accepts single-digit days padded with a space', () => {
    assert.equal(entries('(1, +0 ms) Jan  5 00:00:01 [7]: x')[0]?.day, 5);
  });

  it('names the component of every shape in the seeds and BRIEF §2.2', () => {
    const cases: Array<[string, string | undefined]> = [
      ['TetraUpdateInterface::update updateDir: x', 'TetraUpdateInterface'],
      ['ERROR: TetraUpdateInterface::update Update failed with error -3000', 'TetraUpdateInterface'],
      ['PerformTetraUpdate: sig count: 0, version: 0', 'PerformTetraUpdate'],
      ['AVStat::CopyInternal : engine - 2', 'AVStat'],
      ['imn::CEventManager::PublishEvent: publishing type=1', 'imn::CEventManager'],
      ['FASharedPtr<class TetraUpdateInterface>::ReleaseInstance count: 1', 'FASharedPtr'],
      ['TetraEngineInterface::ScanFile[412] lock acquired', 'TetraEngineInterface'],
      ['TetraUpdaterInit defInit: 0, bUpdate: 0', 'TetraUpdaterInit'],
      ['calculating ETHOS hash', undefined],
      ['disp 3', undefined],
    ];
    for (const [msg, want] of cases) assert.equal(componentOf(msg), want, msg);
  });
});

describe('TETRA update attempts (seed 001)', () => {
  const a = analyzeLogText(seed001, { file: 'sfc.exe.log' });

  it('is one attempt from the updateDir line to the sig count line, failed with -3000, version 0', () => {
    assert.equal(a.attemptCount, 1);
    const at = a.attempts[0]!;
    assert.equal(at.startLine, 0);
    assert.equal(at.endLine, 13);
    assert.equal(at.status, -3000);
    assert.equal(at.state, 20);
    assert.equal(at.updated, false);
    assert.equal(at.version, 0);
    assert.equal(at.sigCount, 0);
  });

  it('reports tetra.update-failed once, as -3000 (tetra.unknown-error), at the status on its continuation line, with quick-fix commands', () => {
    const f = a.findings.find((x) => x.id === 'tetra.update-failed')!;
    assert.equal(f.kind, 'tetra.unknown-error');
    assert.equal(f.args['status'], -3000);
    assert.equal(f.args['count'], 1);
    assert.deepEqual(f.range, { start: { line: 12, character: 12 }, end: { line: 12, character: 17 } });
    assert.equal(seed001.split('\n')[12]!.slice(12, 17), '-3000');
    assert.ok(f.actions?.some((x) => x.command === 'Get-TlsCipherSuite | ft name'));
  });

  it('reads both AVStat lines, infers the year 2022 from "Thu Aug 4 06:35:16 2022", and says the engine has no definitions', () => {
    assert.equal(a.avstat.length, 2);
    assert.equal(a.avstat[1]?.status, 4294964296);
    assert.equal(a.avstat[1]?.lastSuccess, 'never');
    assert.equal(a.year?.baseYear, 2022);
    assert.equal(a.year?.how, 'in-log-date');
    assert.equal(a.firstIso, '2022-08-04T07:30:23');
    const f = a.findings.find((x) => x.id === 'tetra.definitions-missing')!;
    assert.equal(f.severity, 'warning');
    assert.equal(f.args['status'], -3000);
    assert.equal(f.args['time'], '2022-08-04 07:30:23');
  });

  it('is a debug log (its author calls it one), so no log.debug-disabled', () => {
    assert.equal(a.debug, true);
    assert.ok(!a.findings.some((x) => x.id === 'log.debug-disabled'));
  });

  it('counts entries per component and level', () => {
    assert.deepEqual(a.levels, { ERROR: 1 });
    assert.equal(a.components.find((c) => c.name === 'PerformTetraUpdate')?.count, 2);
    assert.equal(a.components.find((c) => c.name === 'AVStat')?.count, 2);
  });
});

describe('tetra.update-failed across a year boundary (proxy fixture)', () => {
  const a = analyzeLogText(proxyLog, { file: 'Cisco/AMP/8.1.7.21417/sfc.exe.log' });

  it('groups repeated failures by status with count, first and last time (Dec 31 → Jan 01, years from AVStat)', () => {
    const fs = a.findings.filter((f) => f.id === 'tetra.update-failed');
    assert.equal(fs.length, 1);
    const f = fs[0]!;
    assert.equal(f.kind, 'tetra.proxy-connect');
    assert.deepEqual(f.args, { status: -2103, count: 3, first: '2028-12-31 22:10:06', last: '2029-01-01 04:10:07' });
    assert.equal(f.evidence.length, 3);
    assert.deepEqual(
      f.evidence.map((e) => e.range.start.line),
      [3, 8, 12],
    );
  });

  it('knows the successful attempt and its version', () => {
    assert.equal(a.successCount, 1);
    assert.equal(a.attempts.find((x) => x.updated)?.version, 90611);
  });

  it('gives the entries after the rollover the next year', () => {
    assert.equal(a.firstIso, '2028-12-31T22:10:05');
    assert.equal(a.lastIso?.slice(0, 10), '2029-01-01');
  });

  it('fills the version folder into the copied commands', () => {
    const f = analyzeLogText(noDebugLog, { file: 'sfc.exe.log', path: 'C:/x/Cisco/AMP/7.4.5.20701/sfc.exe.log' }).findings.find((x) => x.id === 'log.debug-disabled')!;
    assert.equal(f.actions?.[0]?.command, "& 'C:\\Program Files\\Cisco\\AMP\\7.4.5.20701\\sfc.exe' -l start");
  });
});

describe('year inference', () => {
  const dec = '(1, +0 ms) Dec 30 08:00:00 [1]: PipeWrite: x\n(2, +0 ms) Jan 02 09:00:00 [1]: PipeWrite: y\n';

  it('anchors on a reference date at or after the last entry (file time)', () => {
    const a = analyzeLogText(dec, { reference: new Date(Date.UTC(2031, 0, 5)) });
    assert.equal(a.year?.how, 'reference-date');
    assert.equal(a.firstIso, '2030-12-30T08:00:00');
    assert.equal(a.lastIso, '2031-01-02T09:00:00');
  });

  it('takes the previous year when the last entry comes later in the year than the reference', () => {
    const a = analyzeLogText('(1, +0 ms) Nov 20 08:00:00 [1]: PipeWrite: x\n', { reference: new Date(Date.UTC(2031, 1, 1)) });
    assert.equal(a.firstIso, '2030-11-20T08:00:00');
  });

  it('stays without a year when nothing tells it, and findings show the time as written', () => {
    const a = analyzeLogText(noDebugLog);
    assert.equal(a.year, undefined);
    assert.equal(a.firstIso, undefined);
    assert.equal(a.findings.find((f) => f.id === 'tetra.update-failed')?.args['first'], 'Mar 02 10:00:00');
  });

  it('does not count a late line from an earlier month as a new year', () => {
    const a = analyzeLogText('(1, +0 ms) Mar 01 00:00:01 [1]: a: 1\n(2, +0 ms) Feb 28 23:59:59 [2]: a: 2\n(3, +0 ms) Mar 01 00:00:02 [1]: a: 3\n', {
      reference: new Date(Date.UTC(2030, 2, 2)),
    });
    assert.equal(a.lastIso, '2030-03-01T00:00:02');
  });
});

describe('structured events of a debug log (BRIEF §2.2 shapes)', () => {
  const events: LogEvent[] = [];
  // `range` is a getter (computed when read): a copy that outlives the callback takes it explicitly.
  const a = analyzeLogText(debugLog, { file: 'sfc.exe.log', onEvent: (e) => events.push({ ...e, range: e.range, entry: undefined as never }) });

  it('yields file events with file and process, exclusion hits with their path, remote addresses, lookups and engine lines', () => {
    const file = events.find((e) => e.kind === 'file.event')!;
    assert.equal(file.groups['file'], '\\\\?\\C:\\Users\\ana\\AppData\\Local\\Temp\\a1.tmp');
    assert.equal(file.groups['process'], '\\\\?\\C:\\Windows\\System32\\svchost.exe');
    const line0 = debugLog.split('\n')[0]!;
    assert.equal(line0.slice(file.range.start.character, file.range.end.character), file.groups['file']);
    assert.deepEqual(
      events.filter((e) => e.kind === 'exclusion.hit').map((e) => e.groups['path']),
      ['\\\\?\\C:\\Program Files\\Backup\\agent.exe', '\\\\?\\C:\\Data\\db\\main.mdf'],
    );
    assert.deepEqual(a.remoteAddresses, [{ address: '192.168.1.1', count: 1 }]);
    assert.equal(ipv4FromLittleEndian(16885952), '192.168.1.1');
    for (const k of ['file.inner-scan', 'cloud.lookup', 'engine.spero', 'engine.ethos', 'engine.scan'] as const) assert.equal(a.eventCounts[k], 1, k);
    assert.equal(a.eventCounts['publish'], 3);
  });

  it('counts debug-only events without running their patterns when nobody listens', () => {
    const quiet = analyzeLogText(debugLog);
    assert.equal(quiet.eventCounts['file.event'], 1);
    assert.equal(quiet.debug, true);
  });

  it('flags the revocation failure at the code, PublishEvent failures, the unlock limit and an isolation still active', () => {
    const found = a.findings.map((f) => f.id);
    assert.deepEqual(found, ['policy.update-failed', 'isolation.active', 'tls.revocation-offline', 'isolation.unlock-limit-reached']);
    const rev = a.findings.find((f) => f.id === 'tls.revocation-offline')!;
    const line = debugLog.split('\n')[rev.range.start.line]!;
    assert.equal(line.slice(rev.range.start.character, rev.range.end.character), '0x80092013');
    assert.equal(a.findings.find((f) => f.id === 'isolation.unlock-limit-reached')?.severity, 'warning');
  });

  it('no isolation.active once a stop follows the start', () => {
    const stopped = debugLog + '(2000000014, +0 ms) Dec 01 02:00:00 [5122]: imn::CEventManager::PublishEvent: publishing type=553648204\n';
    assert.ok(!ids(stopped).includes('isolation.active'));
  });

  it('outlines hour blocks and the silence of more than 30 minutes', () => {
    assert.deepEqual(
      a.blocks.map((b) => [b.startLine, b.endLine, b.entries]),
      [
        [0, 7, 8],
        [8, 12, 5],
      ],
    );
    assert.equal(a.gaps.length, 1);
    assert.equal(a.gaps[0]?.line, 8);
    assert.equal(a.gaps[0]?.seconds, 75 * 60 + 1);
  });
});

/** A header line with its message (thread 7, one second apart). */
let tick = 1;
const at = (msg: string, thread = 7) => {
  const n = tick++;
  return `(${n}, +0 ms) Mar 10 08:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')} [${thread}]: ${msg}\n`;
};

/** Patterns decided by plain text (`prefix` / `literal`): the debug noise counted without a listener. */
const byText = [...new Set([...[...PATTERNS_BY_COMPONENT.values()].flat(), ...PATTERNS_BY_PREFIX.map((p) => p.pattern)])].filter((p) => p.prefix !== undefined || p.literal !== undefined);
const decides = (p: EventPattern, msg: string) => (p.prefix === undefined || msg.startsWith(p.prefix)) && (p.literal === undefined || msg.includes(p.literal, p.prefix?.length ?? 0));

describe('event counts do not depend on a listener', () => {
  // Hits and near misses of every pattern (BRIEF §2.2 shapes, and the generated benchmark log's).
  const hits: Array<[string, LogEventKind | undefined]> = [
    ['Event::HandleCreation: START \\\\?\\C:\\Users\\ana\\a.tmp(\\\\?\\C:\\Users\\ana\\a.tmp), \\\\?\\C:\\Windows\\System32\\svchost.exe', 'file.event'],
    ['Event::HandleCreation: START \\\\?\\C:\\a.tmp, \\\\?\\C:\\p.exe', 'file.event'],
    ['Event::HandleCreation: START of something unreadable', 'file.event'],
    ['Event::HandleCreation: START \\\\?\\C:\\Program Files (x86)\\Edge\\msedge_elf.dll(\\\\?\\C:\\Program Files (x86)\\Edge\\msedge_elf.dll), \\\\?\\C:\\Program Files (x86)\\Edge\\msedge.exe', 'file.event'],
    ['Event::HandleCreation: START \\\\?\\C:\\Report (final), v2.docx(\\\\?\\C:\\Report (final), v2.docx), C:\\p.exe', 'file.event'],
    ['Event::HandleTermination: START \\\\?\\C:\\a.tmp(\\\\?\\C:\\a.tmp), \\\\?\\C:\\p.exe', undefined],
    ['ERROR: Event::HandleCreation: START \\\\?\\C:\\a.tmp(\\\\?\\C:\\a.tmp), \\\\?\\C:\\p.exe', undefined],
    ['Event::HandleInnerFileScan: EVENT_INNER_FILE_SCAN start \\\\?\\C:\\x\\a.dll(\\\\?\\C:\\x\\a.dll), \\\\?\\C:\\p.exe', 'file.inner-scan'],
    ['EVENT_INNER_FILE_SCAN start', 'file.inner-scan'],
    ['Event::HandleInnerFileScan: EVENT_INNER_FILE_SCAN end', undefined],
    ['TetraEngineInterface::ScanFile[412] lock acquired', 'engine.scan'],
    ['TetraEngineInterface::ScanFile[412] lock released', undefined],
    ['TetraEngineInterface::Update[412] lock acquired', undefined],
    ['GetSperoHash SPERO fingerprint: status: 1', 'engine.spero'],
    ['GetSperoHash computing', undefined],
    ['calculating ETHOS hash', 'engine.ethos'],
    ['Sha256Calc::Calculate: calculating ETHOS hash', 'engine.ethos'],
    ['Sha256Calc::Calculate: calculating SHA256', undefined],
    ['Query::LookupExecute: attempting lookup with cloud', 'cloud.lookup'],
    ['Query::LookupExecute: lookup done', undefined],
    ['Cache::Get: age 42, disp 1', 'cache.hit'],
    ['Cache::Get: rip: 16885952', undefined],
    ['Cache::Set: age 42', undefined],
    ['ExclusionCheck: \\\\?\\C:\\Program Files\\Backup\\agent.exe is excluded', 'exclusion.hit'],
    ['ExclusionCheck: \\\\?\\C:\\Users\\ana\\a.tmp is not excluded', undefined],
    ['Exclusion::IsExcluded: result: 1 for \\\\?\\C:\\Data\\db\\main.mdf,', 'exclusion.hit'],
    ['Exclusion::IsExcluded: result: 1 from cache for \\\\?\\C:\\Data\\db\\main.ldf', 'exclusion.hit'],
    ['Exclusion::IsExcluded: result: 0 for \\\\?\\C:\\Users\\ana\\a.tmp,', undefined],
    ['Exclusion::IsExcluded: result: 0 from cache for \\\\?\\C:\\Users\\ana\\b.tmp', undefined],
    ['Exclusion::IsExcluded: result: 10 for \\\\?\\C:\\x,', undefined],
    ['NFMMemCache::Get: rip: 16885952', 'nfm.remote'],
    ['NFMMemCache::Get: miss', undefined],
    ['imn::CEventManager::PublishEvent: publishing type=553648143', 'publish'],
    ['imn::CEventManager::PublishEvent: queue full', undefined],
    ['disp 3', 'disposition.malicious'],
    ['disp 30', undefined],
    ['TetraUpdateInterface::update updateDir: C:\\Program Files\\Cisco\\AMP\\tetra, 20, -3000, -3000, 0, 0, 0', 'tetra.start'],
    ['ERROR: TetraUpdateInterface::update Update failed with error -3000', 'tetra.error'],
    ['TetraUpdaterInit defInit: 0, bUpdate: 0', 'tetra.init'],
    ['PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -3000', 'tetra.result'],
    ['PerformTetraUpdate: sig count: 0, version: 0', 'tetra.version'],
    ['AVStat::CopyInternal : engine - 2, defs - 0, first failure - never, last err code - 4294964296, last upd success - never', 'tetra.avstat'],
    ['ERROR: HttpClient::Perform schannel: failed: Unknown error (0x80092013)', 'tls.revocation-offline'],
  ];
  const text = hits.map(([m], i) => at(m, 100 + (i % 3))).join('');
  // Every kind, with how many of the lines above are one (the compiler checks no kind is missing).
  const expected: Record<LogEventKind, number> = {
    'tetra.start': 1,
    'tetra.error': 1,
    'tetra.init': 1,
    'tetra.result': 1,
    'tetra.version': 1,
    'tetra.avstat': 1,
    publish: 1,
    'file.event': 5,
    'file.inner-scan': 2,
    'engine.scan': 1,
    'engine.spero': 1,
    'engine.ethos': 2,
    'cloud.lookup': 1,
    'cache.hit': 1,
    'exclusion.hit': 3,
    'nfm.remote': 1,
    'disposition.malicious': 1,
    'tls.revocation-offline': 1,
  };

  it('the same counts for every event kind with and without a listener, on hits and misses of every pattern', () => {
    const quiet = analyzeLogText(text).eventCounts;
    const seen: Partial<Record<LogEventKind, number>> = {};
    const listened = analyzeLogText(text, { onEvent: (e) => void (seen[e.kind] = (seen[e.kind] ?? 0) + 1) }).eventCounts;
    assert.deepEqual(quiet, expected);
    assert.deepEqual(listened, expected);
    assert.deepEqual(seen, expected);
  });

  it('each line is the event it should be, or none', () => {
    for (const [msg, kind] of hits) {
      const got = Object.keys(analyzeLogText(at(msg)).eventCounts);
      assert.deepEqual(got, kind ? [kind] : [], msg);
      assert.deepEqual(Object.keys(analyzeLogText(at(msg), { onEvent: () => undefined }).eventCounts), got, msg);
    }
  });

  it('a text-decided pattern matches exactly when its prefix and literal say the line is its event (on mutated lines)', () => {
    assert.ok(byText.length >= 9);
    const samples = hits.map(([m]) => m);
    let seed = 23;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const alphabet = '(), \t1:0[]\\?xsS';
    const inputs = [...samples];
    for (let k = 0; k < 20_000; k++) {
      let t = samples[rand(samples.length)]!;
      for (let edits = 1 + rand(3); edits > 0; edits--) {
        const i = rand(t.length + 1);
        const op = rand(3);
        const ch = alphabet[rand(alphabet.length)]!;
        t = op === 0 ? t.slice(0, i) + t.slice(i + 1) : op === 1 ? t.slice(0, i) + ch + t.slice(i) : t.slice(0, i) + ch + t.slice(i + 1);
      }
      inputs.push(t);
    }
    for (const p of byText) for (const t of inputs) assert.equal(p.re.test(t), decides(p, t), `${p.event} ${JSON.stringify(t)}`);
  });

  it('stays linear on hostile lines: 200 000 blanks, brackets or commas (a quadratic expression takes seconds)', () => {
    const started = Date.now();
    for (const p of byText) {
      for (const fill of [' ', '(', ')', ',', ' (', '), ', ')(', ' is']) {
        const body = fill.repeat(Math.ceil(200_000 / fill.length));
        for (const t of [`${p.prefix ?? ''}${body}x`, `${p.prefix ?? ''}${p.literal ?? ''}${body}\r`, `${p.prefix ?? ''}${p.literal ?? ''}\\\\?\\${body}\r`]) p.re.exec(t);
      }
    }
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  });

  it('stays linear on hostile marked paths: thousands of (\\\\?\\ without a closing ), megabyte lines, brackets and commas after a marker', () => {
    const mark = '\\\\?\\';
    const bodies = [
      `${mark}a(`.repeat(50_000),
      `(${mark}`.repeat(200_000),
      `(${mark}x)`.repeat(50_000),
      `(${mark}x), `.repeat(50_000),
      mark + '('.repeat(200_000),
      mark + ','.repeat(200_000),
      mark + ', '.repeat(100_000),
      mark + '(,'.repeat(100_000),
      mark + `,${' '.repeat(50)}`.repeat(4_000),
      `${mark}a(${mark}b` + ')'.repeat(200_000),
      `${mark}a(${mark}b` + '),'.repeat(100_000),
      `${mark}a(${mark}b` + '), '.repeat(70_000),
      `${mark}a(${mark}b` + ')('.repeat(100_000),
      `${mark}a(${mark}b` + `),${' '.repeat(50)}`.repeat(4_000),
      mark + 'a'.repeat(1_000_000),
      `(${mark}`.repeat(250_000),
      `${mark}a(${mark}b` + ')('.repeat(500_000),
    ];
    const patterns = byText.filter((p) => p.event === 'file.event' || p.event === 'file.inner-scan');
    assert.equal(patterns.length, 2);
    const started = Date.now();
    for (const p of patterns) {
      for (const body of bodies) {
        const head = `${p.prefix ?? ''}${p.literal ?? ''} `;
        for (const t of [`${head}${body}`, `${head}${body}x`, `${head}${body}\r`, `${head}${body}\r, x`]) p.re.exec(t);
      }
    }
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  });

  it('the counted events agree with the listened ones on a larger generated mix', () => {
    let seed = 3;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    let big = '';
    for (let i = 0; i < 3000; i++) big += at(hits[rand(hits.length)]![0], rand(8));
    assert.deepEqual(analyzeLogText(big, { onEvent: () => undefined }).eventCounts, analyzeLogText(big).eventCounts);
  });
});

describe('file events whose paths hold brackets and commas (BRIEF §2.2 markers)', () => {
  /** The file and process of each line as a listener gets them, and whether the range is the file. */
  const read = (msg: string) => {
    const text = at(msg);
    const got: Array<[string, string | undefined, string | undefined, boolean]> = [];
    analyzeLogText(text, {
      onEvent: (e) => {
        const line = text.split('\n')[e.range.start.line]!;
        got.push([e.kind, e.groups['file'], e.groups['process'], e.groups['file'] === undefined || line.slice(e.range.start.character, e.range.end.character) === e.groups['file']]);
      },
    });
    return got;
  };
  const edge = String.raw`\\?\C:\Program Files (x86)\Microsoft\Edge\Application\msedge_elf.dll`;
  const edgeExe = String.raw`\\?\C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`;

  it('the Edge (x86) line: the file runs to the ( that starts its copy, the process is the rest', () => {
    assert.deepEqual(read(`Event::HandleCreation: START ${edge}(${edge}), ${edgeExe}`), [['file.event', edge, edgeExe, true]]);
  });

  it('a file with (final), v2 in its name, and a process path with (x86)', () => {
    const doc = String.raw`\\?\C:\Users\ana\Documents\Report (final), v2.docx`;
    const word = String.raw`\\?\C:\Program Files (x86)\Microsoft Office\root\Office16\WINWORD.EXE`;
    assert.deepEqual(read(`Event::HandleCreation: START ${doc}(${doc}), ${word}`), [['file.event', doc, word, true]]);
    // Without a copy, the file runs to the `, \\?\` of the process.
    assert.deepEqual(read(`Event::HandleCreation: START ${doc}, ${word}`), [['file.event', doc, word, true]]);
    // A renamed file: the copy is the old name, itself with `), ` in it.
    const old = String.raw`\\?\C:\Users\ana\Documents\~WRL0001 (1), draft.tmp`;
    assert.deepEqual(read(`Event::HandleCreation: START ${doc}(${old}), ${word}`), [['file.event', doc, word, true]]);
    // A process with `(1), ` in its path stays whole.
    const odd = String.raw`\\?\C:\Tools (x86)\Foo (1), bar\foo.exe`;
    assert.deepEqual(read(`Event::HandleCreation: START ${doc}(${doc}), ${odd}`), [['file.event', doc, odd, true]]);
    // An unmarked process after a marked copy: the copy ends at the last `), ` before it.
    assert.deepEqual(read(`Event::HandleCreation: START ${doc}(${doc}), C:\\Windows\\explorer.exe`), [['file.event', doc, 'C:\\Windows\\explorer.exe', true]]);
  });

  it('UNC paths (\\\\?\\UNC\\server\\share\\…), in file events and inner scans', () => {
    const share = String.raw`\\?\UNC\fs01\Projects (2024)\Budget, final (v3).xlsx`;
    const tool = String.raw`\\?\UNC\fs01\apps (x86)\sync, agent\sync.exe`;
    assert.deepEqual(read(`Event::HandleCreation: START ${share}(${share}), ${tool}`), [['file.event', share, tool, true]]);
    assert.deepEqual(read(`Event::HandleInnerFileScan: EVENT_INNER_FILE_SCAN start ${share}(${share}), ${edgeExe}`), [['file.inner-scan', share, edgeExe, true]]);
    assert.deepEqual(read(`EVENT_INNER_FILE_SCAN start ${edge}(${edge}), ${tool}`), [['file.inner-scan', edge, tool, true]]);
  });

  it('lines without markers read as before: the file to the first (, the copy to the first )', () => {
    assert.deepEqual(read(String.raw`Event::HandleCreation: START C:\a.tmp(C:\a.tmp), C:\p.exe`), [['file.event', 'C:\\a.tmp', 'C:\\p.exe', true]]);
    assert.deepEqual(read(String.raw`Event::HandleCreation: START C:\a.tmp, C:\p.exe`), [['file.event', 'C:\\a.tmp', 'C:\\p.exe', true]]);
    assert.deepEqual(read(String.raw`Event::HandleCreation: START C:\a (x86).tmp(C:\a.tmp), C:\p.exe`), [['file.event', undefined, undefined, true]]);
    assert.deepEqual(read(String.raw`Event::HandleCreation: START C:\a.tmp(C:\b (1).tmp), C:\p.exe`), [['file.event', undefined, undefined, true]]);
    // A marked file whose copy is not marked also reads as before.
    assert.deepEqual(read(String.raw`Event::HandleCreation: START \\?\C:\a.tmp(C:\a.tmp), C:\p.exe`), [['file.event', '\\\\?\\C:\\a.tmp', 'C:\\p.exe', true]]);
  });

  it('a marked line cut short is still the event, without fields', () => {
    assert.deepEqual(read(`Event::HandleCreation: START ${edge}(${edge}`), [['file.event', undefined, undefined, true]]);
    assert.deepEqual(read(`Event::HandleCreation: START ${edge}(${edge}), `), [['file.event', undefined, undefined, true]]);
  });
});

describe('inner scans and ETHOS hashes under a component (issue 9 review)', () => {
  const inner = 'Event::HandleInnerFileScan: EVENT_INNER_FILE_SCAN start \\\\?\\C:\\Users\\ana\\Downloads\\setup.zip(\\\\?\\C:\\Users\\ana\\Downloads\\setup.zip), \\\\?\\C:\\Windows\\explorer.exe';
  const ethos = 'Sha256Calc::Calculate: calculating ETHOS hash';

  it('EVENT_INNER_FILE_SCAN after Event::HandleInnerFileScan is an inner scan with its file and process', () => {
    const events: LogEvent[] = [];
    const text = at(inner);
    analyzeLogText(text, { onEvent: (e) => events.push({ ...e, range: e.range }) });
    assert.deepEqual(
      events.map((e) => [e.kind, e.groups['file'], e.groups['process']]),
      [['file.inner-scan', '\\\\?\\C:\\Users\\ana\\Downloads\\setup.zip', '\\\\?\\C:\\Windows\\explorer.exe']],
    );
    const r = events[0]!.range;
    assert.equal(text.slice(r.start.character, r.end.character), events[0]!.groups['file']);
  });

  it('the bare EVENT_INNER_FILE_SCAN start is still an inner scan, without fields', () => {
    const events: LogEvent[] = [];
    analyzeLogText(at('EVENT_INNER_FILE_SCAN start'), { onEvent: (e) => events.push(e) });
    assert.deepEqual(
      events.map((e) => [e.kind, e.groups['file']]),
      [['file.inner-scan', undefined]],
    );
  });

  it('calculating ETHOS hash after Sha256Calc::Calculate is an ETHOS hash, bare or not', () => {
    const kinds: string[] = [];
    analyzeLogText(at(ethos) + at('calculating ETHOS hash'), { onEvent: (e) => kinds.push(e.kind) });
    assert.deepEqual(kinds, ['engine.ethos', 'engine.ethos']);
  });

  it('the tuning collector counts them: inner scans, and ETHOS as engine work of the pending file event', () => {
    const c = new TuneCollector();
    c.startLog('sfc.exe.log');
    const text =
      at('Event::HandleCreation: START \\\\?\\C:\\Users\\ana\\a.tmp(\\\\?\\C:\\Users\\ana\\a.tmp), \\\\?\\C:\\Windows\\explorer.exe') + at(inner) + at(ethos) + at('calculating ETHOS hash') + at('GetSperoHash SPERO fingerprint: status: 1');
    c.endLog(analyzeLogText(text, { file: 'sfc.exe.log', onEvent: c.onEvent }));
    const [set] = c.result();
    assert.equal(set?.totals.innerScans, 1);
    assert.equal(set?.totals.engine, 3);
    assert.equal(set?.totals.fileEvents, 1);
  });
});

describe('event ranges are worked out when read', () => {
  it('on a wrapped file event, the range read in the callback is the file on its lines', () => {
    const head = '(1, +0 ms) Mar 10 08:00:00 [7]: Event::HandleCreation: START \\\\?\\C:\\Users\\ana\\AppData\\Local\\Temp';
    const text = `${head}\n\\a1.tmp(\\\\?\\C:\\Users\\ana\\AppData\\Local\\Temp\\a1.tmp), \\\\?\\C:\\Windows\\System32\\svchost.exe\n`;
    const ranges: Array<[string, unknown]> = [];
    analyzeLogText(text, { onEvent: (e) => ranges.push([e.groups['file']!, e.range]) });
    assert.deepEqual(ranges, [
      [
        '\\\\?\\C:\\Users\\ana\\AppData\\Local\\Temp \\a1.tmp',
        { start: { line: 0, character: head.indexOf('\\\\?') }, end: { line: 1, character: '\\a1.tmp'.length } },
      ],
    ]);
  });

  it('an exclusion hit points at its path; a PublishEvent at its type; reading twice gives the same object', () => {
    const lines = [at('Exclusion::IsExcluded: result: 1 for \\\\?\\C:\\Data\\db\\main.mdf,'), at('imn::CEventManager::PublishEvent: publishing type=553648143')];
    const got: string[] = [];
    analyzeLogText(lines.join(''), {
      onEvent: (e) => {
        assert.equal(e.range, e.range);
        got.push(lines[e.line]!.slice(e.range.start.character, e.range.end.character));
      },
    });
    assert.deepEqual(got, ['\\\\?\\C:\\Data\\db\\main.mdf', '553648143']);
  });

  it('a listener that never reads ranges gets the same analysis as none', () => {
    const quiet = analyzeLogText(debugLog + proxyLog);
    const listened = analyzeLogText(debugLog + proxyLog, { onEvent: () => undefined });
    assert.deepEqual(listened, quiet);
  });
});

describe('log.debug-disabled', () => {
  it('is information on a log with only TETRA and error lines', () => {
    const f = analyzeLogText(noDebugLog).findings.find((x) => x.id === 'log.debug-disabled')!;
    assert.equal(f.severity, 'information');
    assert.equal(f.args['entries'], 4);
  });

  it('is absent from an empty file (nothing to say about a log with no entries)', () => {
    assert.deepEqual(ids(''), []);
  });
});

describe('many attempts', () => {
  it('one finding per status with an exact count beyond what is kept, first and last right', () => {
    const one = (i: number, status: number) => {
      const t = `${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
      return `(${i}, +0 ms) Jun 01 ${t} [1]: PerformTetraUpdate: bUpdated = FALSE, state: 20, status: ${status}\n(${i}, +0 ms) Jun 01 ${t} [1]: PerformTetraUpdate: sig count: 0, version: 0\n`;
    };
    let text = '';
    for (let i = 0; i < 12_000; i++) text += one(i, i % 2 === 0 ? -2103 : -2100);
    const a = analyzeLogText(text);
    const failed = a.findings.filter((f) => f.id === 'tetra.update-failed');
    assert.deepEqual(
      failed.map((f) => [f.args['status'], f.args['count'], f.evidence.length]),
      [
        [-2103, 6000, 50],
        [-2100, 6000, 50],
      ],
    );
    assert.equal(a.attemptCount, 12_000);
    assert.equal(a.attempts.length, 10_000);
    assert.equal(failed[0]?.args['last'], 'Jun 01 03:19:58');
  });
});

describe('robustness', () => {
  it('falls back to the "Update failed with error" line when the result line is missing', () => {
    const log = '(5, +0 ms) Mar 02 10:00:00 [9]: ERROR: TetraUpdateInterface::update Update failed with error -2100\n';
    assert.equal(analyzeLogText(log).findings.find((f) => f.id === 'tetra.update-failed')?.kind, 'tetra.proxy-auth');
  });

  it('gives the same result whatever the chunking', () => {
    const whole = analyzeLogText(proxyLog);
    const a = new LogAnalyzer();
    for (let i = 0; i < proxyLog.length; i += 7) a.push(proxyLog.slice(i, i + 7));
    assert.deepEqual(a.finish(), whole);
  });

  it('finds nothing in garbage and binary, and never throws', () => {
    const garbage = '\u0000\u0001 not a log\n((( , +x ms)\n' + '\uFFFD'.repeat(1000);
    const a = analyzeLogText(garbage);
    assert.equal(a.findings.length, 0);
    assert.equal(a.orphanLines, 3);
    let seed = 7;
    const bytes = Buffer.from(Array.from({ length: 200_000 }, () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff));
    const b = analyzeLogText(bytes.toString('latin1'));
    assert.equal(b.entries, 0);
  });

  it('a header with a month that does not exist is not an entry', () => {
    assert.equal(analyzeLogText('(1, +0 ms) Foo 04 07:30:23 [1]: x\n').entries, 0);
  });

  it('stops when cancelled', () => {
    const token = { isCancellationRequested: true };
    const big = '(1, +0 ms) Jan 01 00:00:00 [1]: x\n'.repeat(5000);
    assert.throws(() => analyzeLogText(big, { token }), CancelledError);
  });
});

describe('encodings from disk', () => {
  const expected = analyzeLogText(proxyLog).findings.map((f) => [f.id, f.args['status'], f.args['count'], f.range.start.line, f.range.start.character]);
  const crlf = proxyLog.replace(/\r?\n/g, '\r\n');
  const variants: Array<[string, Buffer]> = [
    ['UTF-8', Buffer.from(proxyLog, 'utf8')],
    ['UTF-8 with BOM, CRLF', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf, 'utf8')])],
    ['UTF-16 LE with BOM, CRLF', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf, 'utf16le')])],
    ['UTF-16 BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(proxyLog, 'utf16le').swap16()])],
  ];
  for (const [name, bytes] of variants) {
    it(`${name}: the same findings at the same places`, async () => {
      const file = path.join(tmp, `sfc.exe.${name.replace(/\W+/g, '-')}.log`);
      writeFileSync(file, bytes);
      utimesSync(file, new Date(Date.UTC(2029, 5, 1)), new Date(Date.UTC(2029, 5, 1)));
      const a = await analyzeLogFile(file);
      assert.deepEqual(
        a.findings.map((f) => [f.id, f.args['status'], f.args['count'], f.range.start.line, f.range.start.character]),
        expected,
      );
    });
  }

  it('uses the file time as the year anchor when the log has no full date', async () => {
    const file = path.join(tmp, 'sfc.exe.log');
    writeFileSync(file, noDebugLog);
    utimesSync(file, new Date(Date.UTC(2027, 3, 1)), new Date(Date.UTC(2027, 3, 1)));
    const a = await analyzeLogFile(file);
    assert.equal(a.firstIso, '2027-03-02T10:00:00');
    assert.equal(a.year?.how, 'reference-date');
  });
});

describe('the hand-written header parser agrees with the HEADER expression', () => {
  it('on valid shapes and on thousands of mutations of them', () => {
    const samples = [
      '(978223515, +0 ms) Aug 04 07:30:23 [11944]: ERROR: TetraUpdateInterface::update Update failed with error -3000',
      '(1, +-5 ms) Jan  5 00:00:01 [7]:x',
      '(12345678901234567890, +123456789012 ms) Dec 31 23:59:59 [123456789012]: ',
      '(1, +0 ms) Feb 5 10:00:00 [3]: PipeWrite: waiting',
    ];
    let seed = 11;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const alphabet = '(), +-ms:[]0123456789 AugJanDecFoox\t';
    const inputs: string[] = [...samples];
    for (let k = 0; k < 5000; k++) {
      const base = samples[rand(samples.length)]!;
      const at = rand(base.length);
      const op = rand(3);
      const ch = alphabet[rand(alphabet.length)]!;
      inputs.push(op === 0 ? base.slice(0, at) + base.slice(at + 1) : op === 1 ? base.slice(0, at) + ch + base.slice(at) : base.slice(0, at) + ch + base.slice(at + 1));
    }
    for (const text of inputs) {
      const m = HEADER.exec(text);
      const e = parseHeader({ index: 0, text, truncated: false, length: text.length });
      const viaRegex = m; // the expression now names the twelve months itself
      assert.equal(e !== undefined, viaRegex !== null, text);
      if (!e || !viaRegex) continue;
      assert.equal(e.tick, Number(viaRegex[1]), text);
      assert.equal(e.deltaMs, Number(viaRegex[2]), text);
      assert.equal(e.day, Number(viaRegex[4]), text);
      assert.equal(e.seconds, Number(viaRegex[5]) * 3600 + Number(viaRegex[6]) * 60 + Number(viaRegex[7]), text);
      assert.equal(e.thread, Number(viaRegex[8]), text);
      assert.equal(e.message, text.slice(viaRegex[0].length), text);
    }
  });

  it('componentOf: the fast path and the expression agree on mutated messages', () => {
    const samples = ['TetraUpdateInterface::update updateDir: x', 'ERROR: A::B::c d', 'PerformTetraUpdate: x', 'AVStat::CopyInternal : e', 'imn::CEventManager::PublishEvent: p', 'FASharedPtr<class T>::Release count', 'TetraEngineInterface::ScanFile[1] lock', 'calculating ETHOS hash', 'Foo::', 'a::b::c::d::e::f::g::h: x'];
    let seed = 5;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const alphabet = ':< >[]_aZ9 .\t';
    for (let k = 0; k < 5000; k++) {
      const base = samples[rand(samples.length)]!;
      const at = rand(base.length + 1);
      const text = rand(2) === 0 ? base.slice(0, at) + alphabet[rand(alphabet.length)] + base.slice(at) : base.slice(0, at) + base.slice(at + 1);
      assert.equal(componentOf(text), componentOfByExpression(text), JSON.stringify(text));
    }
  });
});
