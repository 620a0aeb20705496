import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/cli';
import {
  BOUNDS,
  collectDebugActions,
  compileExclusion,
  ExclusionMatcher,
  placeWindow,
  protectedFolderReason,
  protectedProcessReason,
  SpaceSaving,
  tunePath,
  TuneOptionError,
  type TuneResult,
  type TuneSet,
} from '../../src/core/tune';
import { compileExclusion as compileOne } from '../../src/core/tune/exclusions';
import { LogTimeline, MAX_BUCKETS, WIDTHS } from '../../src/core/tune/timeline';
import { toCsidlForm } from '../../src/core/tune/paths';
import { readPolicyXml } from '../../src/core/xml/policy';
import { readXml as parseXml } from '../../src/core/xml/read';
import { tuneMarkdown, tuneView, withheldReasonText } from '../../src/shared/render-tune';
import { generateTuneLogs, writeNonDebugLog, type ProcessSpec } from '../support/generate-tune-log';
import { zipBytes } from '../support/make-archives';
import { ROOT } from '../support/paths';

// Bundled into one script (esbuild, as when this file is run on its own), cli.ts's
// `require.main === module` block runs `main()` with this process's arguments, prints the usage and
// sets exit code 2; the per-file test build never does. A failing test still sets its own code (1).
after(() => {
  if (process.exitCode === 2) process.exitCode = undefined;
});

// ---------------------------------------------------------------------------------------------
// Independent counts: awk over the written text (continuation lines joined to their entry, as the
// connector wraps them), never the code under test.

const AWK = `
function flush(   i, j, file, proc, folder, minute) {
  if (cur == "") return
  i = index(cur, "Event::HandleCreation: START \\\\\\\\?\\\\")
  if (i > 0) {
    j = index(cur, "(\\\\\\\\?\\\\")
    file = substr(cur, i + 33, j - (i + 33))
    if (match(cur, /, \\\\\\\\\\?\\\\[^,]*$/)) proc = substr(cur, RSTART + 6); else proc = "?"
    folder = file
    if (match(file, /.*\\\\/)) folder = substr(file, 1, RLENGTH - 1)
    match(cur, /\\) [A-Z][a-z][a-z] [0-9][0-9] [0-9][0-9]:[0-9][0-9]/)
    minute = substr(cur, RSTART + 2, 12)
    print "P\\t" tolower(proc)
    print "D\\t" tolower(folder)
    print "M\\t" minute
    print "T\\tall"
  }
  cur = ""
}
/^\\([0-9]/ { flush(); cur = $0; next }
{ if (cur != "") cur = cur " " $0 }
END { flush() }
`;

interface AwkCounts {
  total: number;
  processes: Map<string, number>;
  folders: Map<string, number>;
  minutes: Map<string, number>;
}

function awkCounts(files: readonly string[]): AwkCounts {
  const dir = mkdtempSync(path.join(tmpdir(), 'bl-awk-'));
  const script = path.join(dir, 'count.awk');
  writeFileSync(script, AWK);
  const out: AwkCounts = { total: 0, processes: new Map(), folders: new Map(), minutes: new Map() };
  for (const file of files) {
    const text = execFileSync('awk', ['-f', script, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
    for (const line of text.split('\n')) {
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      const key = line.slice(tab + 1);
      const map = { P: out.processes, D: out.folders, M: out.minutes, T: undefined }[line.slice(0, tab) as 'P' | 'D' | 'M' | 'T'];
      if (map) map.set(key, (map.get(key) ?? 0) + 1);
      else out.total++;
    }
  }
  return out;
}

function grepCount(pattern: string, files: readonly string[]): number {
  return files.reduce((n, f) => n + Number(execFileSync('grep', ['-c', '-F', pattern, f], { encoding: 'utf8' }).trim()), 0);
}

const tmp = (prefix = 'bl-tune-') => mkdtempSync(path.join(tmpdir(), prefix));
const only = (r: TuneResult): TuneSet => {
  assert.equal(r.sets.length, 1);
  return r.sets[0]!;
};

// A known distribution: five processes, their files in a few folders.
const CHROME = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
const SQL = 'C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe';
const SVCHOST = 'C:\\Windows\\System32\\svchost.exe';
const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const BACKUP = 'C:\\Program Files\\Example Backup\\backup.exe';
const users = ['jdoe', 'asmith', 'kwong'];
const chromeCache = users.flatMap((u) => Array.from({ length: 40 }, (_, i) => `C:\\Users\\${u}\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data\\f_${i.toString(16).padStart(6, '0')}`));
const KNOWN: ProcessSpec[] = [
  { process: CHROME, files: chromeCache, events: 3000 },
  { process: SQL, files: ['D:\\SQLData\\Sales.mdf', 'D:\\SQLData\\Sales_log.ldf', 'D:\\SQLData\\tempdb.mdf'], events: 1800 },
  { process: SVCHOST, files: ['C:\\Windows\\System32\\config\\SOFTWARE.LOG1', 'C:\\Windows\\Temp\\MpCmdRun.log', 'C:\\Windows\\System32\\winevt\\Logs\\System.evtx'], events: 1500 },
  { process: POWERSHELL, files: users.map((u) => `C:\\Users\\${u}\\AppData\\Local\\Temp\\__PSScriptPolicyTest_${u}.ps1`), events: 900 },
  { process: BACKUP, files: ['C:\\ProgramData\\Example Backup\\Logs\\job.log', 'C:\\ProgramData\\Example Backup\\Catalog\\index.dat'], events: 600 },
];

const POLICY = (items: { info?: string[]; process?: string[] }) =>
  `<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><Object><config><agent><log><level>549755813887</level></log></agent><exclusions><info>${(items.info ?? [])
    .map((i) => `<item>${i}</item>`)
    .join('')}</info><process>${(items.process ?? []).map((i) => `<item>${i}</item>`).join('')}</process></exclusions></config></Object></Signature>`;

describe('tune: counts against an independent count (awk, grep)', () => {
  it('top processes, folders and events per minute of a generated log equal awk\'s counts', async () => {
    const dir = tmp();
    const log = path.join(dir, 'Cisco', 'AMP', '8.1.7.21417', 'sfc.exe.log');
    const g = generateTuneLogs([log], { processes: KNOWN, start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)), secondsPerEvent: 0.25 });
    const awk = awkCounts([log]);
    assert.equal(awk.total, 7800);
    assert.equal(grepCount('Event::HandleCreation', [log]), 7800);
    const r = await tunePath(dir, { top: 50 });
    assert.equal(r.status, 'ok');
    const set = only(r);
    assert.equal(set.version, '8.1.7.21417');
    assert.equal(set.totals.fileEvents, awk.total);
    assert.equal(set.approximate, false);
    // Processes: every count exact, in order.
    const byAwk = [...awk.processes].sort((a, b) => b[1] - a[1]);
    assert.deepEqual(
      set.processes.map((p) => [p.value.toLowerCase(), p.count, p.error]),
      byAwk.map(([k, n]) => [k, n, 0]),
    );
    for (const p of set.processes) assert.equal(p.share, p.count / awk.total);
    // Folders: the whole list (fewer than top 50).
    assert.deepEqual(new Map(set.folders.map((f) => [f.value.toLowerCase(), f.count])), awk.folders);
    // Per minute (the year is the file's: 2022).
    const minutes = new Map(set.timeline.buckets.map((b) => [b.start, b.fileEvents]));
    assert.deepEqual(minutes, awk.minutes);
    assert.equal(set.timeline.bucketSeconds, 60);
    assert.equal(set.timeline.buckets[0]!.iso, '2022-08-04T07:00');
    assert.equal(g.first, 'Aug 04 07:00:00');
    // Extensions: a naive count of the generator's record.
    const ext = new Map<string, number>();
    for (const e of g.events) {
      const name = e.file.slice(e.file.lastIndexOf('\\') + 1).toLowerCase();
      const k = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
      ext.set(k, (ext.get(k) ?? 0) + 1);
    }
    assert.deepEqual(new Map(set.extensions.map((x) => [x.value, x.count])), ext);
    // Follow-up engine lines (cache + scan on the same thread) go to the event's process.
    const chrome = set.processes.find((p) => p.value === CHROME)!;
    assert.equal(chrome.work, 2 * 3000);
  });

  it('the bench generator\'s realistic log (Zipf distributions, wrapped lines, inner scans): processes and folders equal awk\'s', async () => {
    const dir = tmp();
    const file = path.join(dir, 'sfc.exe.log');
    const gen = (await import(pathToFileURL(path.join(ROOT, 'bench', 'generate-log.mjs')).href)) as { LogGenerator: new (seed: number) => { chunk(bytes: number): string } };
    const g = new gen.LogGenerator(0x5eed001);
    let text = '';
    while (text.length < 3 << 20) text += g.chunk(1 << 20);
    writeFileSync(file, text);
    const awk = awkCounts([file]);
    assert.ok(awk.total > 5000, `file events: ${awk.total}`);
    assert.equal(grepCount('Event::HandleCreation', [file]), awk.total);
    const r = await tunePath(file, { top: 1000 });
    const set = only(r);
    assert.equal(set.totals.fileEvents, awk.total);
    assert.deepEqual(new Map(set.processes.map((p) => [p.value.toLowerCase(), p.count])), awk.processes);
    const folders = new Map(set.folders.map((f) => [f.value.toLowerCase(), f.count]));
    const topAwk = [...awk.folders].sort((a, b) => b[1] - a[1]).slice(0, 100);
    for (const [k, n] of topAwk) assert.equal(folders.get(k), n, k);
    // The generator's `Exclusion::IsExcluded: result: 1` lines follow their file event on its thread.
    assert.ok(set.totals.excludedByLog > 0);
    const sql = set.folders.find((f) => f.value === 'D:\\SQLData')!;
    assert.equal(sql.excluded, sql.count);
  });
});

describe('tune: rotation and time windows', () => {
  // Dec 31 22:00 → Jan 01 02:00 over three rotated files: 7800 events in 4 h.
  const spec = { processes: KNOWN, start: new Date(Date.UTC(2022, 11, 31, 22, 0, 0)), secondsPerEvent: 14400 / 7800 };

  function rotated() {
    const dir = tmp();
    const folder = path.join(dir, 'Cisco', 'AMP', '8.1.7.21417');
    const names = ['sfc.exe.log.2', 'sfc.exe.log.1', 'sfc.exe.log'].map((n) => path.join(folder, n));
    return { dir, names, g: generateTuneLogs(names, spec) };
  }

  it('stitches the rotated files of a version folder, oldest first, across the new year', async () => {
    const { dir, names, g } = rotated();
    const awk = awkCounts(names);
    const r = await tunePath(dir);
    const set = only(r);
    assert.deepEqual(set.logs.map((l) => path.posix.basename(l.file)), ['sfc.exe.log.2', 'sfc.exe.log.1', 'sfc.exe.log']);
    assert.equal(set.totals.fileEvents, awk.total);
    assert.equal(set.logs.reduce((n, l) => n + l.fileEvents, 0), awk.total);
    assert.equal(set.firstIso, '2022-12-31T22:00:00');
    assert.equal(set.lastIso?.slice(0, 13), '2023-01-01T01');
    // The timeline is one axis across the files and the year boundary.
    const isos = set.timeline.buckets.map((b) => b.iso!);
    assert.deepEqual(isos, [...isos].sort());
    assert.equal(isos[0], '2022-12-31T22:00');
    assert.ok(isos.includes('2023-01-01T00:00'));
    assert.equal(set.timeline.buckets.reduce((n, b) => n + b.fileEvents, 0), g.events.length);
  });

  it('counts only the window, placed in each rotated file\'s year (Dec 31 23:30 → Jan 01 00:30)', async () => {
    const { dir, names, g } = rotated();
    const lo = Date.UTC(2022, 11, 31, 23, 30, 0) / 1000;
    const hi = Date.UTC(2023, 0, 1, 0, 30, 0) / 1000;
    const expected = g.events.filter((e) => e.at >= lo && e.at <= hi);
    const r = await tunePath(dir, { from: 'Dec 31 23:30:00', to: 'Jan 01 00:30:00' });
    const set = only(r);
    assert.equal(set.totals.fileEvents, expected.length);
    const byProcess = new Map<string, number>();
    for (const e of expected) byProcess.set(e.process, (byProcess.get(e.process) ?? 0) + 1);
    assert.deepEqual(new Map(set.processes.map((p) => [p.value, p.count])), byProcess);
    assert.deepEqual(r.window, { from: 'Dec 31 23:30:00', to: 'Jan 01 00:30:00' });
    assert.ok(set.suggestions.every((s) => s.cautions.includes('window-only')));
    // awk agrees on the part of the window inside one day (Jan 01 00:00–00:30, minute by minute).
    const awk = awkCounts(names);
    const jan = [...awk.minutes].filter(([m]) => m >= 'Jan 01 00:00' && m <= 'Jan 01 00:29').reduce((n, [, c]) => n + c, 0);
    const ours = set.timeline.buckets.filter((b) => b.start >= 'Jan 01 00:00' && b.start <= 'Jan 01 00:29').reduce((n, b) => n + b.fileEvents, 0);
    assert.equal(ours, jan);
  });

  it('a window with no events says so (and a year given with it is noted as not used)', async () => {
    const { dir } = rotated();
    const r = await tunePath(dir, { from: '2022 Jun 01 00:00:00', to: 'Jun 02 00:00:00' });
    assert.equal(r.status, 'window-empty');
    assert.equal(r.window?.yearIgnored, true);
    assert.equal(only(r).totals.fileEvents, 0);
    assert.match(tuneMarkdown(r), /none inside the time window/);
    await assert.rejects(tunePath(dir, { from: 'yesterday' }), (e: unknown) => e instanceof TuneOptionError && e.field === 'from');
    await assert.rejects(tunePath(dir, { top: 0 }), (e: unknown) => e instanceof TuneOptionError && e.field === 'top');
  });

  it('places a window bound in the year before when the log starts just after it', () => {
    const jan1 = { month: 1, day: 1, seconds: 0, yearOffset: 0 };
    const w = placeWindow(jan1, { from: { month: 12, day: 31, seconds: 23 * 3600 }, to: { month: 1, day: 1, seconds: 3600 } });
    assert.ok(w.lo < 0 && w.hi === 3600, JSON.stringify(w));
    const jun = { month: 6, day: 20, seconds: 0, yearOffset: 0 };
    const w2 = placeWindow(jun, { from: { month: 1, day: 10, seconds: 0 } });
    assert.ok(w2.lo > 365 * 86400 - 1, 'January after a June start is the next January');
  });
});

describe('tune: a log without debug lines', () => {
  it('says so and gives the commands that collect one (in the version folder), never empty tables', async () => {
    const dir = tmp();
    writeNonDebugLog(path.join(dir, 'Cisco', 'AMP', '8.1.7.21417', 'sfc.exe.log'), new Date(Date.UTC(2022, 7, 4, 7, 30, 23)));
    const r = await tunePath(dir);
    assert.equal(r.status, 'not-debug');
    assert.equal(only(r).status, 'not-debug');
    assert.deepEqual(
      r.collect?.map((a) => a.id),
      ['debug-start', 'support-tool'],
    );
    assert.equal(r.collect![0]!.command, "& 'C:\\Program Files\\Cisco\\AMP\\8.1.7.21417\\sfc.exe' -l start");
    const md = tuneMarkdown(r);
    assert.match(md, /not in debug/);
    assert.ok(md.includes("& 'C:\\Program Files\\Cisco\\AMP\\8.1.7.21417\\sfc.exe' -l start"));
    assert.ok(!md.includes('Top processes'), 'no empty tables');
    assert.deepEqual(only(r).processes, []);
  });

  it('no log at all is its own status', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'notes.txt'), 'nothing here\n');
    const r = await tunePath(dir);
    assert.equal(r.status, 'no-logs');
    assert.match(tuneMarkdown(r), /No connector log/);
  });
});

describe('tune: the policy\'s exclusions against the activity', () => {
  async function withPolicy(info: string[], process: string[], strayHits: string[] = []) {
    const dir = tmp();
    const amp = path.join(dir, 'Cisco', 'AMP');
    const g = generateTuneLogs([path.join(amp, '8.1.7.21417', 'sfc.exe.log')], {
      processes: KNOWN,
      start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)),
      excluded: (f) => f.startsWith('D:\\SQLData\\'),
      strayHits,
    });
    mkdirSync(amp, { recursive: true });
    writeFileSync(path.join(amp, 'policy.xml'), POLICY({ info, process }));
    return { r: await tunePath(dir, { top: 20 }), g };
  }

  it('matched, unmatched, never-matching and wildcard-leading exclusions, counted per exclusion', async () => {
    const { r, g } = await withPolicy(
      ['1|2|0|0|D:\\SQLData\\', '1|6|0|0|*\\Chrome\\User Data\\*', '1|3|0|0|evtx', '1|2|0|0|C:\\Program Files\\Nothing Here\\', '1|6|0|0|.*\\.bak|', '1|2|0|0|CSIDL_COMMON_APPDATA\\Example Backup\\Logs\\'],
      ['1|0||CSIDL_PROGRAM_FILES\\Example Backup\\backup.exe|0|', `1|0||${CHROME}|12|`, '1|0||C:\\Tools\\never.exe|0|'],
    );
    assert.equal(r.policy.status, 'read');
    assert.equal(r.policy.file, 'Cisco/AMP/policy.xml');
    const set = only(r);
    const usage = set.exclusionUsage!;
    const count = (pred: (file: string, process: string) => boolean) => g.events.filter((e) => pred(e.file, e.process)).length;
    assert.equal(usage[0]!.events, count((f) => f.startsWith('D:\\SQLData\\')));
    assert.equal(usage[1]!.events, count((f) => f.includes('\\Chrome\\User Data\\')));
    assert.equal(usage[2]!.events, count((f) => f.endsWith('.evtx')));
    assert.equal(usage[3]!.events, 0); // never matches
    assert.equal(usage[4]!.events, 0); // wildcard-leading, never matches
    assert.equal(usage[5]!.events, count((f) => f.startsWith('C:\\ProgramData\\Example Backup\\Logs\\')));
    assert.equal(usage[6]!.events, count((_, p) => p === BACKUP)); // CSIDL_PROGRAM_FILES expanded
    assert.equal(usage[7]!.events, count((_, p) => p === CHROME)); // matches, but mask 12 (SPP) stops no file scan
    assert.equal(usage[8]!.events, 0);
    assert.deepEqual(
      r.policy.exclusions.map((x) => [x.shape, x.wildcardLeading]),
      [
        ['folder', false],
        ['pattern', true],
        ['extension', false],
        ['folder', false],
        ['pattern', true],
        ['folder', false],
        ['process', false],
        ['process', false],
        ['process', false],
      ],
    );
    assert.equal(r.policy.exclusions[7]!.fileScan, false);
    // Excluded events: the policy's (Chrome's cache, SQL data, evtx, backup.exe as a process).
    const excludedByPolicy = count((f, p) => f.startsWith('D:\\SQLData\\') || f.includes('\\Chrome\\User Data\\') || f.endsWith('.evtx') || p === BACKUP);
    assert.equal(set.totals.excludedByPolicy, excludedByPolicy);
    assert.equal(set.totals.excludedByLog, count((f) => f.startsWith('D:\\SQLData\\')));
    // Items say which exclusion covers them.
    assert.deepEqual(set.folders.find((f) => f.value === 'D:\\SQLData')!.exclusions, [0]);
    assert.deepEqual(set.processes.find((p) => p.value === BACKUP)!.exclusions, [6]);
    assert.equal(set.processes.find((p) => p.value === BACKUP)!.excluded, 600);
    assert.equal(set.processes.find((p) => p.value === CHROME)!.excluded, 3000); // by the path exclusion, not the SPP one
    // Nothing already excluded is suggested.
    assert.ok(!set.suggestions.some((s) => /chrome|sqldata|backup/i.test(s.value)), JSON.stringify(set.suggestions));
    const md = tuneMarkdown(r);
    assert.match(md, /never matched a file event/);
    assert.match(md, /start with a wildcard/);
    assert.match(md, /CSCvm37634/);
  });

  it('counts the connector\'s "is excluded" lines that no exclusion of the policy matches', async () => {
    const { r } = await withPolicy(['1|2|0|0|D:\\SQLData\\'], [], ['C:\\Program Files\\Cisco\\AMP\\8.1.7.21417\\sfc.exe', 'C:\\Program Files\\Cisco\\AMP\\tmp\\x.tmp']);
    const set = only(r);
    assert.equal(set.totals.exclusionHitsUnmatched, 2);
    assert.deepEqual(set.unmatchedExclusionHits?.map((h) => h.value).sort(), ['C:\\Program Files\\Cisco\\AMP\\8.1.7.21417', 'C:\\Program Files\\Cisco\\AMP\\tmp']);
  });

  it('without a policy, the connector\'s own lines still count as excluded', async () => {
    const dir = tmp();
    generateTuneLogs([path.join(dir, 'sfc.exe.log')], { processes: KNOWN, start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)), excluded: (f) => f.endsWith('.mdf') });
    const r = await tunePath(dir);
    assert.equal(r.policy.status, 'missing');
    const set = only(r);
    assert.equal(set.totals.excludedByPolicy, 0);
    assert.equal(set.totals.excludedByLog, 1200); // Sales.mdf and tempdb.mdf: 2 of every 3 SQL events
    assert.equal(set.exclusionUsage, undefined);
  });

  it('compiles the exclusion shapes (assumptions documented in data.ts)', () => {
    const policy = readPolicyXml(
      parseXml(
        POLICY({
          info: ['1|2|0|0|C:\\Program Files\\Example App\\', '1|6|0|0|*\\AppData\\Local\\Temp\\*.tmp', '1|3|0|0|log', '1|3|0|0|.bak', '1|2|0|0|%windir%\\Logs', '1|2|0|0|CSIDL_LOCAL_APPDATA\\Slack\\', '1|9|0|0|Win.Trojan.Agent'],
          process: ['1|0||notepad.exe|0|', '1|0||CSIDL_SYSTEM\\wbem\\WmiPrvSE.exe|48|'],
        }),
      ),
    );
    const m = new ExclusionMatcher(policy.exclusions);
    const files = (p: string) => {
      const out: number[] = [];
      const lower = p.toLowerCase();
      const dot = lower.lastIndexOf('.');
      m.matchFile(lower, dot > lower.lastIndexOf('\\') ? lower.slice(dot + 1) : '', out);
      return out;
    };
    assert.deepEqual(files('C:\\Program Files\\Example App\\bin\\a.dll'), [0]);
    assert.deepEqual(files('C:\\Program Files\\Example Apps\\a.dll'), []);
    assert.deepEqual(files('C:\\Users\\x\\AppData\\Local\\Temp\\sub\\a.TMP'), [1]);
    assert.deepEqual(files('C:\\Users\\x\\AppData\\Local\\Temp\\a.log'), [2]);
    assert.deepEqual(files('D:\\backups\\db.bak'), [3]);
    assert.deepEqual(files('C:\\Windows\\Logs\\CBS\\CBS.log'), [4, 2]);
    assert.deepEqual(files('C:\\Windows\\Logs'), [4]); // the folder itself, as a file event
    assert.deepEqual(files('C:\\Users\\kwong\\AppData\\Local\\Slack\\Cache\\x'), [5]);
    assert.deepEqual(files('C:\\Users\\AppData\\Local\\Slack\\x'), []); // a user-name folder is required
    assert.equal(compileExclusion(policy.exclusions[6]!, 6).shape, 'not-evaluated');
    assert.deepEqual(m.matchProcess('c:\\tools\\notepad.exe'), { indices: [7], fileScan: true });
    assert.deepEqual(m.matchProcess('c:\\windows\\system32\\wbem\\wmiprvse.exe'), { indices: [8], fileScan: false });
    assert.equal(compileExclusion(policy.exclusions[1]!, 1).shape, 'pattern');
    // The `.*` stored form (the public tool reads it as a leading `*`): `\.` may be an escaped dot.
    const bak = new ExclusionMatcher(readPolicyXml(parseXml(POLICY({ info: ['1|6|0|0|.*\\.bak|'] }))).exclusions);
    const out: number[] = [];
    assert.equal(bak.matchFile('d:\\x\\db.bak', 'bak', out), 1);
    assert.equal(bak.matchFile('d:\\x\\db.baking', 'baking', out), 0);
  });
});

describe('tune: suggestions', () => {
  it('never a system folder nor a script host, however heavy; those are listed as withheld with the reason', async () => {
    const dir = tmp();
    const heavy: ProcessSpec[] = [
      { process: POWERSHELL, files: ['C:\\Windows\\Temp\\a.ps1', 'C:\\Windows\\System32\\b.tmp'], events: 3000 },
      { process: 'C:\\Windows\\System32\\cmd.exe', files: ['C:\\Users\\jdoe\\AppData\\Local\\Temp\\c.bat', 'C:\\Program Files\\d.txt'], events: 2500 },
      { process: 'C:\\Windows\\System32\\mshta.exe', files: ['C:\\Users\\jdoe\\Downloads\\e.hta'], events: 1500 },
      { process: 'C:\\Windows\\System32\\rundll32.exe', files: ['C:\\Users\\jdoe\\f.dll', 'C:\\g.dat'], events: 1500 },
      { process: 'C:\\Python311\\python.exe', files: ['C:\\Windows\\SysWOW64\\h.pyc', 'C:\\Users\\jdoe\\AppData\\Roaming\\i.pyc'], events: 1200 },
      { process: SVCHOST, files: ['C:\\Windows\\System32\\config\\SYSTEM.LOG1', 'C:\\ProgramData\\j.log'], events: 1200 },
      { process: 'C:\\Windows\\explorer.exe', files: ['C:\\Users\\jdoe\\Desktop\\k.lnk', 'C:\\Users\\jdoe\\Documents\\l.docx'], events: 800 },
      { process: 'C:\\Windows\\System32\\wscript.exe', files: ['C:\\Users\\Public\\m.vbs'], events: 500 },
      { process: 'C:\\Windows\\System32\\cscript.exe', files: ['C:\\Windows\\n.js'], events: 500 },
      { process: 'C:\\Apps\\Indexer\\indexer.exe', files: ['C:\\Apps\\Indexer\\data\\o.idx'], events: 1000 },
    ];
    generateTuneLogs([path.join(dir, 'sfc.exe.log')], { processes: heavy, start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)) });
    const r = await tunePath(dir, { top: 50 });
    const set = only(r);
    assert.ok(set.suggestions.length > 0);
    for (const s of set.suggestions) {
      if (s.kind === 'process') assert.equal(protectedProcessReason(s.value), undefined, s.value);
      else {
        const folder = s.value.replace(/\\$/, '');
        assert.equal(protectedFolderReason(toCsidlForm(folder.toLowerCase(), folder).lower), undefined, s.value);
        assert.ok(!/^(?:[a-z]:|CSIDL_[A-Z_]+)(?:\\(?:Windows|System32|Users|Program Files|Temp))?\\?$/i.test(s.value), s.value);
      }
    }
    assert.deepEqual(
      set.suggestions.map((s) => s.value),
      ['C:\\Apps\\Indexer\\data\\', 'C:\\Apps\\Indexer\\indexer.exe'],
    );
    const withheld = new Map(set.withheld.map((w) => [w.value, w.reason]));
    assert.equal(withheld.get(POWERSHELL), 'script-host');
    assert.equal(withheld.get('C:\\Windows\\System32\\cmd.exe'), 'script-host');
    assert.equal(withheld.get('C:\\Windows\\System32\\mshta.exe'), 'proxy-execution');
    assert.equal(withheld.get('C:\\Windows\\System32\\rundll32.exe'), 'proxy-execution');
    assert.equal(withheld.get('C:\\Python311\\python.exe'), 'script-host');
    assert.equal(withheld.get(SVCHOST), 'system-process');
    assert.equal(withheld.get('CSIDL_WINDOWS\\Temp\\'), 'temp-folder');
    assert.equal(withheld.get('CSIDL_LOCAL_APPDATA\\Temp\\'), 'temp-folder');
    assert.equal(withheld.get('CSIDL_PROFILE\\Downloads\\'), 'user-content');
    // The processes table says why a heavy process is never suggested.
    assert.equal(set.processes.find((p) => p.value === POWERSHELL)!.protected, 'script-host');
  });

  it('folds every user\'s profile into one CSIDL folder, and prefers the folder that holds the activity', async () => {
    const dir = tmp();
    generateTuneLogs([path.join(dir, 'sfc.exe.log')], { processes: [KNOWN[0]!, { process: 'C:\\Apps\\x.exe', files: ['C:\\Apps\\data\\1.bin'], events: 500 }], start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)) });
    const set = only(await tunePath(dir));
    const folder = set.suggestions.find((s) => s.kind === 'folder' && s.value.startsWith('CSIDL_LOCAL_APPDATA'))!;
    assert.equal(folder.value, 'CSIDL_LOCAL_APPDATA\\Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data\\');
    assert.equal(folder.events, 3000);
    assert.match(folder.example!, /^C:\\Users\\(jdoe|asmith|kwong)\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data\\$/);
    assert.ok(folder.cautions.includes('csidl-every-user') && folder.cautions.includes('user-profile-folder'));
    // Its parents hold nothing more: not suggested on top of it.
    assert.ok(!set.suggestions.some((s) => s.value === 'CSIDL_LOCAL_APPDATA\\Google\\Chrome\\'));
    // A browser handles untrusted content: withheld, never suggested (review 9).
    assert.ok(!set.suggestions.some((s) => s.kind === 'process' && s.value === CHROME));
    assert.equal(set.withheld.find((w) => w.kind === 'process' && w.value === CHROME)?.reason, 'untrusted-content');
    const proc = set.suggestions.find((s) => s.kind === 'process' && s.value === 'C:\\Apps\\x.exe')!;
    assert.equal(proc.mask, 0);
    assert.ok(proc.cautions.includes('process-writes-unscanned'));
  });
});

describe('tune: bounded memory (many distinct files)', () => {
  it('Space-Saving keeps exact counts below its capacity and bounded ones above it', () => {
    const exact = new SpaceSaving(100);
    for (let i = 0; i < 1000; i++) exact.add(`k${i % 50}`, `K${i % 50}`, i % 100 < 50);
    assert.equal(exact.size, 50);
    assert.equal(exact.replacements, 0);
    assert.ok(exact.top(50).every((e) => e.count === 20 && e.error === 0 && e.excluded === 10));
    // 64 heavy keys with known counts in a stream of 200 000 distinct light ones.
    const s = new SpaceSaving(1024);
    const truth = new Map<string, number>();
    let n = 0;
    for (let i = 0; i < 200_000; i++) {
      s.add(`light-${i}`, `light-${i}`, false);
      n++;
      if (i % 10 === 0) {
        const k = `heavy-${i % 640}`;
        truth.set(k, (truth.get(k) ?? 0) + 1);
        s.add(k, k, false);
        n++;
      }
    }
    assert.ok(s.size <= 1024);
    assert.equal(s.total, n);
    assert.ok(s.floor <= n / 1024);
    for (const [k, c] of truth) {
      const e = s.get(k);
      assert.ok(e, `${k} (${c} of ${n}) is kept: above N/capacity`);
      assert.ok(e.count - e.error <= c && c <= e.count, `${k}: ${c} within [${e.count - e.error}, ${e.count}]`);
      assert.ok(e.error <= n / 1024);
    }
    const top = s.top(64);
    assert.ok(top.every((e) => e.key.startsWith('heavy-')));
  });

  it('a log with more distinct files than the bound: heavy files are listed with bounds, the set says approximate', async () => {
    const dir = tmp();
    const distinct = BOUNDS.files + 20_000;
    const many: ProcessSpec[] = [
      { process: 'C:\\Apps\\Crawler\\crawler.exe', files: Array.from({ length: distinct }, (_, i) => `E:\\crawl\\${i % 97}\\page-${i}.html`), events: distinct },
      { process: 'C:\\Apps\\Db\\db.exe', files: ['E:\\db\\main.db', 'E:\\db\\main.db-wal'], events: 4000 },
    ];
    generateTuneLogs([path.join(dir, 'sfc.exe.log')], { processes: many, start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)), secondsPerEvent: 0.05, followUps: false });
    const r = await tunePath(dir, { top: 5 });
    const set = only(r);
    assert.equal(set.totals.fileEvents, distinct + 4000);
    assert.equal(set.approximate, true);
    assert.equal(set.totals.distinct.files, BOUNDS.files, "more than the table's size: its size, flagged");
    assert.ok(set.totals.distinctMore?.includes("files"));
    const [a, b] = set.files;
    assert.deepEqual([a!.value, b!.value].sort(), ['E:\\db\\main.db', 'E:\\db\\main.db-wal']);
    for (const f of [a!, b!]) assert.ok(f.count - f.error <= 2000 && 2000 <= f.count, JSON.stringify(f));
    // Processes and extensions stay exact: few distinct values.
    assert.deepEqual(set.processes.map((p) => [p.count, p.error]), [[distinct, 0], [4000, 0]]);
    assert.match(tuneMarkdown(r), /at least/);
  });
});

describe('tune: bundle archives', () => {
  it('reads a zip named .7z in place: the log and the policy inside it', async () => {
    const dir = tmp();
    const log = path.join(dir, 'src', 'sfc.exe.log');
    const g = generateTuneLogs([log], { processes: KNOWN, start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)) });
    const zip = path.join(dir, 'case-1234.7z');
    writeFileSync(
      zip,
      zipBytes([
        { name: 'Program Files/Cisco/AMP/8.1.7.21417/sfc.exe.log', data: readFileSync(log) },
        { name: 'Program Files/Cisco/AMP/policy.xml', data: POLICY({ info: ['1|2|0|0|D:\\SQLData\\'] }) },
      ]),
    );
    const r = await tunePath(zip);
    assert.equal(r.kind, 'zip');
    assert.equal(r.policy.status, 'read');
    const set = only(r);
    assert.equal(set.version, '8.1.7.21417');
    assert.equal(set.totals.fileEvents, g.events.length);
    assert.equal(set.exclusionUsage![0]!.events, 1800);
  });
});

describe('bundle-lens tune', () => {
  async function run(...args: string[]) {
    let out = '';
    let err = '';
    const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s) });
    return { code, out, err };
  }

  it('prints the report, or the result as JSON, with --top and a window', async () => {
    const dir = tmp();
    generateTuneLogs([path.join(dir, 'Cisco', 'AMP', '8.1.7.21417', 'sfc.exe.log')], { processes: KNOWN, start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)) });
    const md = await run('tune', dir, '--top', '3');
    assert.equal(md.code, 0, md.err);
    assert.match(md.out, /^# Performance tuning/);
    assert.match(md.out, /## Top processes/);
    assert.match(md.out, /## Suggested exclusions/);
    const j = await run('tune', dir, '--json', '--top=2', '--from', 'Aug 04 07:10:00', '--to', 'Aug 04 07:20:00');
    assert.equal(j.code, 0, j.err);
    const r = JSON.parse(j.out) as TuneResult;
    assert.equal(r.status, 'ok');
    assert.equal(r.sets[0]!.processes.length, 2);
    assert.equal(r.sets[0]!.totals.fileEvents, 601); // one event per second, both ends included
  });

  it('exits 2 on bad usage and unreadable input', async () => {
    for (const args of [['tune'], ['tune', '/x', '/y'], ['tune', '.', '--top', '0'], ['tune', '.', '--top', 'ten'], ['tune', '.', '--from', 'yesterday'], ['tune', '.', '--to'], ['diagnose', '.', '--top', '3']]) {
      const r = await run(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.ok(r.err.length > 0);
    }
    const missing = await run('tune', path.join(tmp(), 'nope'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /does not exist/);
  });

  it('keeps table rows whole whatever the paths hold (backticks, pipes)', async () => {
    const dir = tmp();
    generateTuneLogs([path.join(dir, 'sfc.exe.log')], { processes: [{ process: 'C:\\Apps\\we|rd`app.exe', files: ['C:\\Data\\a|b`c.txt'], events: 100 }], start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)) });
    const r = await run('tune', dir);
    const rows = r.out.split('\n').filter((l) => l.includes('rd`app.exe') && l.startsWith('| 1 |'));
    assert.ok(rows.length > 0);
    for (const row of rows) assert.ok(row.includes('we\\|rd'), row);
  });
});

describe('tune: paths', () => {
  it('folds folders to CSIDL names as Cisco\'s tuning tool does, C: only', () => {
    const fold = (p: string) => toCsidlForm(p.toLowerCase(), p).display;
    assert.equal(fold('C:\\Users\\jdoe\\AppData\\Local\\Temp'), 'CSIDL_LOCAL_APPDATA\\Temp');
    assert.equal(fold('C:\\Users\\jdoe\\AppData\\Roaming\\X'), 'CSIDL_APPDATA\\X');
    assert.equal(fold('C:\\Users\\jdoe\\Desktop'), 'CSIDL_DESKTOPDIRECTORY');
    assert.equal(fold('C:\\Users\\jdoe\\Documents'), 'CSIDL_PROFILE\\Documents');
    assert.equal(fold('C:\\Program Files (x86)\\Y'), 'CSIDL_PROGRAM_FILESX86\\Y');
    assert.equal(fold('C:\\Program Files\\Y'), 'CSIDL_PROGRAM_FILES\\Y');
    assert.equal(fold('C:\\ProgramData\\Z'), 'CSIDL_COMMON_APPDATA\\Z');
    assert.equal(fold('C:\\Windows\\System32\\drivers'), 'CSIDL_SYSTEM\\drivers');
    assert.equal(fold('C:\\Windows\\Temp'), 'CSIDL_WINDOWS\\Temp');
    assert.equal(fold('C:\\WindowsApps'), 'C:\\WindowsApps');
    assert.equal(fold('D:\\Program Files\\Y'), 'D:\\Program Files\\Y');
  });

  it('protects system folders, the folders that hold them, and script hosts', () => {
    for (const f of ['c:', 'd:', 'csidl_windows', 'csidl_system', 'csidl_program_files', 'c:\\users', 'csidl_profile', 'csidl_profile\\appdata', 'csidl_local_appdata', 'csidl_local_appdata\\temp', 'csidl_windows\\temp', '\\\\server\\share']) assert.ok(protectedFolderReason(f), f);
    for (const f of ['csidl_local_appdata\\google\\chrome', 'd:\\sqldata', 'csidl_windows\\softwaredistribution\\download', 'csidl_program_files\\veeam']) assert.equal(protectedFolderReason(f), undefined, f);
    for (const p of ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'C:\\x\\PYTHON.EXE', 'cmd.exe', 'C:\\Windows\\System32\\rundll32.exe']) assert.ok(protectedProcessReason(p), p);
    assert.equal(protectedProcessReason('C:\\Program Files\\Veeam\\Veeam.exe'), undefined);
  });
});

// Keeps the fixture read: a policy file in the repository parses to the same exclusions the report shows.
describe('tune: the repository\'s policy fixture', () => {
  it('reads test/fixtures/xml/policy.xml\'s exclusions', () => {
    const model = readPolicyXml(parseXml(readFileSync(path.join(ROOT, 'test', 'fixtures', 'xml', 'policy.xml'), 'utf8')));
    const m = new ExclusionMatcher(model.exclusions);
    assert.deepEqual(
      m.compiled.map((c) => c.shape),
      ['folder', 'pattern', 'extension', 'process', 'process', 'process'],
    );
  });
});

describe('tune: exclusion wildcards without backtracking (review 9: DoS)', () => {
  const pathX = (value: string) => ({ kind: 'path', value, wildcardLeading: false }) as unknown as Parameters<typeof compileOne>[0];
  it('a many-star pattern against a long path that almost matches: the same answer as a reference, one pass', () => {
    const c = compileOne(pathX('C:\\Users\\*\\AppData\\*\\*\\*\\*\\*.tmp'), 0);
    assert.equal(c.shape, 'pattern');
    const long = 'c:\\users\\' + 'x\\appdata\\'.repeat(80) + 'a\\b\\c\\d\\e.tmq';
    assert.ok(long.length > 800);
    assert.equal(c.glob!.test(long), false);
    assert.equal(c.glob!.test(long.slice(0, -1) + 'p'), true);
    // The matcher never needs more live states than the pattern has positions.
    assert.ok(c.glob!.ops.length <= 40);
  });
  it('agrees with the regular-expression reading on every small pattern and path (exhaustive)', () => {
    const alphabet = ['a', 'b', '\\', '*', '?'];
    const texts: string[] = [];
    const build = (prefix: string, n: number, chars: string[], out: string[]) => {
      out.push(prefix);
      if (n > 0) for (const ch of chars) build(prefix + ch, n - 1, chars, out);
    };
    build('', 5, ['a', 'b', '\\'], texts);
    const patterns: string[] = [];
    build('', 4, alphabet, patterns);
    const toRe = (p: string, anchor: string) => {
      let body = '';
      for (const ch of p) body += ch === '*' ? '.*' : ch === '?' ? '[^\\\\]' : ch === '\\' ? '\\\\' : ch;
      return new RegExp(anchor === 'prefix' ? `^(?:${body})` : `^(?:${body})(?:\\\\|$)`);
    };
    let checked = 0;
    for (const p of patterns) {
      if (!p || !/[*?]/.test(p)) continue;
      const value = 'c:\\' + p;
      const c = compileOne(pathX(value), 0);
      const re = toRe(value, value.endsWith('\\') ? 'prefix' : 'boundary');
      for (const t of texts) {
        const text = 'c:\\' + t;
        assert.equal(c.glob!.test(text), re.test(text), `${value} ${text}`);
        checked++;
      }
    }
    assert.ok(checked > 10000);
  });
});

describe('tune: timeline widening (review 9: DoS)', () => {
  it('alternating far-apart days never copy buckets when no wider width exists, and day buckets are capped', () => {
    const t = new LogTimeline();
    // More distinct days than MAX_BUCKETS: the old code copied every bucket on each new one.
    const days = MAX_BUCKETS + 500;
    for (let i = 0; i < days; i++) {
      const yearOffset = Math.floor(i / 372);
      const r = i % 372;
      t.add({ yearOffset, month: Math.floor(r / 31) + 1, day: (r % 31) + 1, seconds: 0 } as never, 'fileEvents');
    }
    assert.equal(t.width, WIDTHS[WIDTHS.length - 1]);
    assert.ok(t.buckets.size <= MAX_BUCKETS);
    assert.ok(t.dropped > 0);
    assert.equal(t.widenings, WIDTHS.length - 1);
  });
  it('Dec 31 / Jan 05 alternating lines: two buckets, exact counts', () => {
    const t = new LogTimeline();
    for (let i = 0; i < 2000; i++) t.add(i % 2 ? { yearOffset: 1, month: 1, day: 5, seconds: 60 } as never : { yearOffset: 0, month: 12, day: 31, seconds: 60 } as never, 'fileEvents');
    assert.equal(t.buckets.size, 2);
    assert.deepEqual([...t.buckets.values()].map((c) => c.fileEvents), [1000, 1000]);
    assert.equal(t.widenings, 0);
  });
});

describe('tune: never suggested (review 9: unsafe suggestions)', () => {
  it('withholds temp, downloads, recycle bin, OneDrive, autostart and the connector\'s folders, wherever they are and below', () => {
    const cases: Array<[string, string]> = [
      ['csidl_local_appdata\\temp', 'temp-folder'],
      ['csidl_local_appdata\\temp\\build\\x', 'temp-folder'],
      ['csidl_windows\\temp\\sub', 'temp-folder'],
      ['csidl_system\\config\\systemprofile\\appdata\\local\\temp\\a', 'temp-folder'],
      ['csidl_windows\\serviceprofiles\\localservice\\appdata\\local\\temp', 'temp-folder'],
      ['d:\\work\\tmp\\x', 'temp-folder'],
      ['csidl_profile\\downloads\\setup', 'user-content'],
      ['d:\\$recycle.bin\\s-1-5-21', 'user-content'],
      ['csidl_profile\\onedrive - contoso\\docs', 'user-content'],
      ['csidl_appdata\\microsoft\\windows\\start menu\\programs\\startup\\x', 'autostart'],
      ['csidl_system\\grouppolicy\\machine\\scripts\\startup', 'autostart'],
      ['csidl_program_files\\cisco\\amp\\8.4.2', 'connector'],
      ['csidl_program_files\\cisco\\secure endpoint\\x', 'connector'],
    ];
    for (const [folder, reason] of cases) assert.equal(protectedFolderReason(folder), reason, folder);
    assert.equal(protectedFolderReason('csidl_local_appdata\\google\\chrome\\user data\\default\\cache'), undefined);
    assert.equal(protectedFolderReason('d:\\templates'), undefined);
  });
  it('withholds the connector, download tools, content handlers, and processes run from temp or downloads', () => {
    const cases: Array<[string, string]> = [
      ['c:\\program files\\cisco\\amp\\8.4.2\\sfc.exe', 'connector'],
      ['c:\\program files\\cisco\\amp\\8.4.2\\anything.exe', 'connector'],
      ['c:\\program files\\cisco\\amp\\iptray.exe', 'connector'],
      ['c:\\x\\ipsupporttool.exe', 'connector'],
      ['c:\\x\\cscm.exe', 'connector'],
      ['c:\\python\\python3.exe', 'script-host'],
      ['c:\\python\\pythonw.exe', 'script-host'],
      ['c:\\windows\\system32\\curl.exe', 'download-tool'],
      ['c:\\windows\\system32\\certutil.exe', 'download-tool'],
      ['c:\\windows\\system32\\bitsadmin.exe', 'download-tool'],
      ['c:\\program files\\google\\chrome\\application\\chrome.exe', 'untrusted-content'],
      ['c:\\program files\\microsoft office\\root\\office16\\outlook.exe', 'untrusted-content'],
      ['c:\\windows\\system32\\inetsrv\\w3wp.exe', 'untrusted-content'],
      ['c:\\users\\jdoe\\appdata\\local\\microsoft\\onedrive\\onedrive.exe', 'untrusted-content'],
      ['c:\\users\\jdoe\\appdata\\local\\temp\\x\\setup.exe', 'runs-from-temp'],
      ['c:\\users\\jdoe\\downloads\\tool.exe', 'runs-from-temp'],
    ];
    for (const [p, reason] of cases) assert.equal(protectedProcessReason(p), reason, p);
    assert.equal(protectedProcessReason('c:\\program files\\contoso\\backup\\backupagent.exe'), undefined);
  });
  it('every withheld reason has words', async () => {
    for (const r of ['connector', 'download-tool', 'untrusted-content', 'runs-from-temp', 'temp-folder', 'autostart'] as const) assert.ok(withheldReasonText(r).length > 10, r);
  });
});

describe('tune: the window placed once per set from the first entry (review 9)', () => {
  const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n: number) => String(n).padStart(2, '0');
  const stamp = (d: Date) => `${MON[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  let tick = 978000000;
  const line = (d: Date, msg: string, thread = 100) => `(${++tick}, +0 ms) ${stamp(d)} [${thread}]: ${msg}`;
  const fileEvent = (d: Date, file: string, proc: string) => line(d, `Event::HandleCreation: START \\\\?\\${file}(\\\\?\\${file}), \\\\?\\${proc}`);
  const PROC = 'C:\\Program Files\\Contoso\\Backup\\backupagent.exe';

  it('a log whose first entry is before the new year and whose events are after it (s4)', async () => {
    const dir = tmp();
    const lines = [line(new Date(Date.UTC(2024, 11, 31, 23, 50, 1)), 'TetraUpdateInterface::update updateDir: C:\\Program Files\\Cisco\\AMP\\tetra, 20, -3000, -3000, 0, 0, 0', 11944)];
    for (let i = 0; i < 100; i++) lines.push(fileEvent(new Date(Date.UTC(2025, 0, 1, 0, 5, 5 + 5 * i)), `D:\\Backups\\job\\chunk${i}.bak`, PROC));
    writeFileSync(path.join(dir, 'sfc.exe.log'), lines.join('\r\n') + '\r\n');
    const set = only(await tunePath(dir, { from: 'Jan 01 00:00:00', to: 'Jan 01 01:00:00' }));
    assert.equal(set.totals.fileEvents, 100);
  });

  it('a window over two rotated logs, from before the newer one starts (s5)', async () => {
    const dir = tmp();
    const older: string[] = [];
    for (let i = 0; i < 46; i++) older.push(fileEvent(new Date(Date.UTC(2025, 0, 10 + i, 0, 0, 1)), `D:\\A\\f${i}.dat`, 'C:\\app\\a.exe'));
    const newer: string[] = [];
    for (let i = 0; i < 12; i++) newer.push(fileEvent(new Date(Date.UTC(2025, 1, 26 + i, 0, 0, 1)), `D:\\B\\f${i}.dat`, 'C:\\app\\b.exe'));
    // Written newest first, so the listing order is not the time order.
    writeFileSync(path.join(dir, 'sfc.exe.log'), newer.join('\r\n') + '\r\n');
    writeFileSync(path.join(dir, 'sfc.exe.log.1'), older.join('\r\n') + '\r\n');
    const set = only(await tunePath(dir, { from: 'Jan 15 00:00:00', to: 'Mar 05 12:00:00' }));
    // Jan 15 … Feb 24 (41 days) in the older log, Feb 26 … Mar 05 (8 days) in the newer.
    assert.equal(set.totals.fileEvents, 49);
    assert.deepEqual(new Map(set.processes.map((p) => [p.value, p.count])), new Map([['C:\\app\\a.exe', 41], ['C:\\app\\b.exe', 8]]));
  });

  it('refuses a reversed window and impossible dates; a short window across the new year is fine', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'sfc.exe.log'), fileEvent(new Date(Date.UTC(2025, 0, 1, 0, 0, 1)), 'D:\\x.dat', PROC) + '\r\n');
    await assert.rejects(tunePath(dir, { from: 'Mar 05 00:00:00', to: 'Mar 03 00:00:00' }), (e: unknown) => e instanceof TuneOptionError && e.field === 'to');
    await assert.rejects(tunePath(dir, { from: 'Feb 30 00:00:00' }), (e: unknown) => e instanceof TuneOptionError && e.field === 'from');
    await assert.rejects(tunePath(dir, { to: 'Apr 31 00:00:00' }), (e: unknown) => e instanceof TuneOptionError && e.field === 'to');
    const set = only(await tunePath(dir, { from: 'Dec 31 23:30:00', to: 'Jan 01 00:30:00' }));
    assert.equal(set.totals.fileEvents, 1);
  });
});

describe('tune: review 9x regressions', () => {
  const L = (s: number, thread: number, text: string) => `(${978000000 + s}, +0 ms) Mar 03 10:00:${String(s % 60).padStart(2, '0')} [${thread}]: ${text}`;
  const EV = (s: number, file: string, proc: string) => L(s, 2000, `Event::HandleCreation: START \\\\?\\${file}(\\\\?\\${file}), \\\\?\\${proc}`);

  it('1: a log that fails mid-read is listed as read partially, with its events and debug from them', async () => {
    const dir = tmp();
    const log = path.join(dir, 'src', 'sfc.exe.log');
    generateTuneLogs([log], { processes: KNOWN, start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)) });
    const zip = zipBytes([{ name: 'Cisco/AMP/8.1.7.21417/sfc.exe.log', data: readFileSync(log) }]);
    // Damage the deflated data near its end: the entry fails (data or CRC) after events were read.
    const at = zip.indexOf(Buffer.from('PK\x01\x02', 'latin1')) - 40;
    for (let i = 0; i < 16; i++) zip[at + i] ^= 0x5a;
    const z = path.join(dir, 'bad.zip');
    writeFileSync(z, zip);
    const r = await tunePath(z);
    const set = only(r);
    assert.equal(set.status, 'ok');
    assert.equal(set.logs.length, 1);
    assert.ok(set.logs[0]!.partial, 'read partially, with the reason');
    assert.equal(set.logs[0]!.debug, true);
    assert.ok(set.totals.fileEvents > 0 && set.logs[0]!.fileEvents === set.totals.fileEvents);
    assert.match(tuneMarkdown(r), /read partially/);
  });

  it('2: a file named sfc.exe.log without the connector\'s lines is no log; no bare sfc.exe command ever', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'sfc.exe.log'), '2024-01-01 10:00:00, Info                  CSI    00000001 [SR] Verifying 100 components\r\n'.repeat(50));
    for (const target of [dir, path.join(dir, 'sfc.exe.log')]) {
      const r = await tunePath(target);
      assert.equal(r.status, 'no-logs');
      assert.equal(r.collect, undefined);
    }
    const actions = collectDebugActions(undefined);
    assert.equal(actions[0]!.command, "& 'C:\\Program Files\\Cisco\\AMP\\<version>\\sfc.exe' -l start");
    assert.ok(actions.every((a) => !/^sfc\.exe|^ipsupporttool/.test(a.command)), JSON.stringify(actions));
  });

  it('3: a version folder without debug lines beside one with them: its own status and commands, no "never matched"', async () => {
    const dir = tmp();
    const amp = path.join(dir, 'Cisco', 'AMP');
    generateTuneLogs([path.join(amp, '8.1.5.21322', 'sfc.exe.log')], { processes: KNOWN, start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)) });
    writeNonDebugLog(path.join(amp, '8.2.1.21650', 'sfc.exe.log'), new Date(Date.UTC(2022, 7, 5, 7, 30, 23)));
    writeFileSync(path.join(amp, 'policy.xml'), POLICY({ info: ['1|2|0|0|D:\\SQLData\\'] }));
    const r = await tunePath(dir);
    assert.equal(r.status, 'ok');
    const nd = r.sets.find((s) => s.version === '8.2.1.21650')!;
    assert.equal(nd.status, 'not-debug');
    assert.equal(nd.collect![0]!.command, "& 'C:\\Program Files\\Cisco\\AMP\\8.2.1.21650\\sfc.exe' -l start");
    assert.equal(nd.exclusionUsage, undefined);
    const md = tuneMarkdown(r);
    assert.ok(md.includes("& 'C:\\Program Files\\Cisco\\AMP\\8.2.1.21650\\sfc.exe' -l start"));
    assert.match(md, /not in debug/);
    const v = tuneView(r).sets.find((s) => s.label.includes('8.2.1.21650'))!;
    assert.ok(v.sections.some((s) => s.id === 'status' && s.items.some((i) => i.copy?.includes('8.2.1.21650'))));
    const ex = v.sections.find((s) => s.id === 'exclusions')!;
    assert.ok(ex.items.every((i) => /no file events in this version/.test(i.description ?? '') && !/never matched/.test(i.description ?? '')));
  });

  it('4: file events without file or process groups count in the totals, as unparsed', async () => {
    const dir = tmp();
    const lines = [EV(1, 'C:\\d\\a.txt', 'C:\\p\\a.exe'), L(2, 2001, 'Event::HandleCreation: START'), L(3, 2002, 'Event::HandleCreation: START ???'), EV(4, 'C:\\d\\b.txt', 'C:\\p\\a.exe')];
    writeFileSync(path.join(dir, 'sfc.exe.log'), lines.join('\n') + '\n');
    const set = only(await tunePath(dir));
    const t = set.totals;
    assert.equal(t.fileEvents - (t.unparsed ?? 0), 2);
    assert.ok((t.unparsed ?? 0) > 0, JSON.stringify(t));
    assert.equal(set.timeline.buckets.reduce((n, b) => n + b.fileEvents, 0), t.fileEvents);
  });

  it('5: entries beyond the table with no guaranteed count are hidden', () => {
    const s = new SpaceSaving(4);
    for (let i = 0; i < 1000; i++) s.add(`k${i}`, `k${i}`, false);
    for (let i = 0; i < 50; i++) s.add('heavy', 'heavy', false);
    const { meaningful } = require('../../src/core/tune/aggregate') as typeof import('../../src/core/tune/aggregate');
    const m = meaningful(s, 10);
    assert.ok(m.every((e) => e.error === 0 || e.count - e.error >= Math.max(1, s.floor)), JSON.stringify(m));
    assert.ok(!m.some((e) => e.key.startsWith('k')), JSON.stringify(m));
  });

  it('6: a single log beside AMP\\policy.xml: paths relative to a base that holds both', async () => {
    const dir = tmp();
    const amp = path.join(dir, 'Cisco', 'AMP');
    const log = path.join(amp, '8.1.7.21417', 'sfc.exe.log');
    generateTuneLogs([log], { processes: KNOWN, start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)) });
    writeFileSync(path.join(amp, 'policy.xml'), POLICY({ info: ['1|2|0|0|D:\\SQLData\\'] }));
    const r = await tunePath(log);
    assert.equal(r.base, amp);
    assert.equal(r.policy.file, 'policy.xml');
    assert.equal(only(r).logs[0]!.file, '8.1.7.21417/sfc.exe.log');
    assert.equal(only(r).version, '8.1.7.21417');
    const v = tuneView(r) as ReturnType<typeof tuneView> & { base: string };
    assert.equal(v.base, amp);
    for (const s of v.sets) for (const sec of s.sections) for (const i of sec.items) if (i.file) assert.ok(!i.file.startsWith('..'));
  });

  it('7: --top N gives at most N suggestions; per-user processes fold into CSIDL form', async () => {
    const dir = tmp();
    const users = ['jdoe', 'asmith', 'kwong'];
    const procs: ProcessSpec[] = users.map((u) => ({ process: `C:\\Users\\${u}\\AppData\\Local\\Vendor\\Sync\\current\\SyncAgent.exe`, files: [`E:\\t\\${u}.dat`], events: 300 }));
    for (let i = 0; i < 6; i++) procs.push({ process: `C:\\Apps\\p${i}.exe`, files: [`F:\\d${i}\\x.bin`], events: 400 + i });
    generateTuneLogs([path.join(dir, 'sfc.exe.log')], { processes: procs, start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)) });
    const set = only(await tunePath(dir, { top: 3 }));
    assert.ok(set.suggestions.length <= 3, JSON.stringify(set.suggestions.map((s) => s.value)));
    const all = only(await tunePath(dir, { top: 50 }));
    const teams = all.suggestions.filter((s) => s.kind === 'process' && /syncagent\.exe$/i.test(s.value));
    assert.equal(teams.length, 1, JSON.stringify(teams));
    assert.equal(teams[0]!.value, 'CSIDL_LOCAL_APPDATA\\Vendor\\Sync\\current\\SyncAgent.exe');
    assert.equal(teams[0]!.events, 900);
    assert.ok(teams[0]!.cautions.includes('csidl-every-user'));
  });
});
