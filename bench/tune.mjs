// Throughput and memory of the performance tuning report (issue 9, src/core/tune) on the generated
// debug connector log (bench/generate-log.mjs; never committed, bench/generated/ is git-ignored).
//
//   node bench/tune.mjs [sizeMB] [options]
//     --size N         the log, in MB (default 200; or the first argument)
//     --runs N         fresh processes per measurement; the best is reported (default 3)
//     --top N          entries per printed list (default 10)
//     --heap-limit L   also run the bundle with --max-old-space-size=N for each N in the comma-separated
//                      list L (default 64,32; 0: skip), to show memory stays bounded
//     --child MODE FILE  internal: one measured run in this process, one JSON line out
//
// Runs, each in a fresh `node`:
//   analyze       analyzeLogFile(log) alone, no listener (the normal analysis: the baseline)
//   listen        analyzeLogFile(log) with an empty onEvent listener (what listening itself costs)
//   tune          tunePath(log): the tuning report of the log alone
//   tune+policy   tunePath(bundle): the same log inside a bundle folder (a hard link, or a copy) with a
//                 policy.xml of 40 exclusions, two of them wildcard-leading, so matching is measured
// The code is the project's own, bundled privately with esbuild into bench/generated/tune-out/
// (never the shared dist/). Memory (process.memoryUsage) is sampled every 50 ms and once at the end.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { measured, table } from './measure.mjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLog, GENERATED_DIR } from './generate-log.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);
const OUT = join(GENERATED_DIR, 'tune-out');
const tuneJs = process.env.BUNDLE_LENS_TUNE_MODULE ?? join(OUT, 'tune.cjs');
const inputsJs = process.env.BUNDLE_LENS_INPUTS_MODULE ?? join(OUT, 'inputs.cjs');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function bundle() {
  const esbuild = await import('esbuild');
  for (const [entry, outfile] of [
    [join(root, 'src', 'core', 'tune', 'index.ts'), tuneJs],
    [join(root, 'src', 'core', 'bundle', 'inputs.ts'), inputsJs],
  ]) {
    await esbuild.build({ entryPoints: [entry], outfile, bundle: true, minify: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error', define: { BUNDLE_LENS_VERSION: '"0.0.0"' } });
  }
}

// --- The policy of the "tune+policy" run --------------------------------------------------------

/** 40 exclusions: some match the generated activity (SQL data, Veeam, event logs), most do not. */
function policyXml() {
  const info = [
    '1|2|0|0|D:\\SQLData\\',
    '1|2|0|0|CSIDL_PROGRAM_FILES\\Veeam\\',
    '1|3|0|0|evtx',
    '1|6|0|0|*\\node_modules\\*',
    '1|6|0|0|.*\\.bak|',
    ...Array.from({ length: 25 }, (_, i) => `1|2|0|0|C:\\Program Files\\Vendor${i}\\App\\`),
  ];
  const process = [
    '1|0||C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe|0|',
    '1|0||C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.EndPoint.Service.exe|1|',
    ...Array.from({ length: 8 }, (_, i) => `1|0||C:\\Program Files\\Vendor${i}\\App\\svc${i}.exe|${[0, 1, 4, 12, 16, 48][i % 6]}|`),
  ];
  const items = (xs) => xs.map((x) => `<item>${x}</item>`).join('');
  return `<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><Object><config><agent><log><level>549755813887</level></log></agent><exclusions><info>${items(info)}</info><process>${items(process)}</process></exclusions></config></Object></Signature>\n`;
}

/** A bundle folder holding the log (hard-linked: no copy of 200 MB when the file system allows) and the policy. */
function ensureBundle(log, sizeMB) {
  const dir = join(GENERATED_DIR, `tune-bundle-${sizeMB}MB`);
  const amp = join(dir, 'Cisco', 'AMP');
  const target = join(amp, '8.1.7.21417', 'sfc.exe.log');
  mkdirSync(dirname(target), { recursive: true });
  if (!existsSync(target) || statSync(target).size !== statSync(log).size) {
    try {
      linkSync(log, target);
    } catch {
      copyFileSync(log, target);
    }
  }
  writeFileSync(join(amp, 'policy.xml'), policyXml());
  return dir;
}

// --- Child: one run, measured --------------------------------------------------------------------

async function child(mode, target) {
  const require = createRequire(import.meta.url);
  const run =
    mode === 'analyze' || mode === 'listen'
      ? (() => {
          const { analyzeLogFile } = require(inputsJs);
          let events = 0;
          return () => analyzeLogFile(target, mode === 'listen' ? { onEvent: () => void events++ } : {});
        })()
      : (() => {
          const { tunePath } = require(tuneJs);
          const top = Number(option('top', 10));
          return () => tunePath(target, { top });
        })();
  const { result, seconds, cpuSeconds, baseline, peak } = await measured(run);
  const out = { mode, seconds, cpuSeconds, baseline: { heapUsed: baseline.heapUsed, rss: baseline.rss }, peak, maxRssKb: process.resourceUsage().maxRSS };
  if (mode === 'analyze' || mode === 'listen') out.lines = result.lines;
  else out.result = result;
  process.stdout.write(JSON.stringify(out) + '\n');
}

// --- Parent ---------------------------------------------------------------------------------------

function runChild(mode, target, flags = []) {
  const r = spawnSync(process.execPath, [...flags, self, '--child', mode, target, '--top', option('top', '10')], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, BUNDLE_LENS_TUNE_MODULE: tuneJs, BUNDLE_LENS_INPUTS_MODULE: inputsJs },
  });
  if (r.status !== 0) throw new Error(`${mode} child failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const MB = (n) => `${(n / 1048576).toFixed(1)} MB`;
const num = (n) => Math.round(n).toLocaleString('en');
const pct = (x) => `${(x * 100).toFixed(1)}%`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function printTop(label, items, extra = () => []) {
  console.log(`\n${label}`);
  table([
    ['value', 'events', 'error', 'share', 'excluded', ...extra({ header: true })],
    ...items.map((i) => [i.value || '(no extension)', num(i.count), num(i.error), pct(i.share), i.excluded ? pct(i.excluded / i.count) : '-', ...extra(i)]),
  ]);
}

async function parent() {
  if (!process.env.BUNDLE_LENS_TUNE_MODULE) await bundle();
  const size = Number(option('size', /^\d+$/.test(process.argv[2] ?? '') ? process.argv[2] : 200));
  const runs = Number(option('runs', 3));
  const heapLimits = String(option('heap-limit', '64,32')).split(',').map(Number).filter((n) => n > 0);
  const log = ensureLog(size);
  const bundleDir = ensureBundle(log, size);
  const bytes = statSync(log).size;
  spawnSync('cat', [log], { stdio: ['ignore', 'ignore', 'inherit'] }); // warm the page cache (untimed)

  console.log(`node ${process.version}, ${cpus().length} CPUs; ${log} (${MB(bytes)}); core bundled and minified (esbuild) in ${OUT}`);
  const modes = [
    ['analyze', log],
    ['listen', log],
    ['tune', log],
    ['tune+policy', bundleDir],
  ];
  const results = new Map();
  for (const [mode, target] of modes) {
    const rs = [];
    for (let i = 0; i < runs; i++) rs.push(runChild(mode === 'tune+policy' ? 'tune' : mode, target));
    results.set(mode, rs);
  }
  const limited = heapLimits.map((n) => ({ n, r: runChild('tune', bundleDir, [`--max-old-space-size=${n}`]) }));

  const base = Math.min(...results.get('analyze').map((r) => r.seconds));
  console.log(`\nThroughput on ${MB(bytes)} (best of ${runs} fresh processes; the machine is shared: see the median)`);
  const rows = [['run', 'best wall s', 'median wall s', 'cpu s (best)', 'MB/s (best)', '× analyze', 'peak heapUsed', 'peak rss', 'maxRSS (OS)']];
  for (const [mode] of modes) {
    const rs = results.get(mode);
    const b = rs.reduce((x, y) => (y.seconds < x.seconds ? y : x));
    rows.push([mode, b.seconds.toFixed(2), median(rs.map((r) => r.seconds)).toFixed(2), b.cpuSeconds.toFixed(2), (bytes / 1048576 / b.seconds).toFixed(1), (b.seconds / base).toFixed(2), MB(Math.max(...rs.map((r) => r.peak.heapUsed))), MB(Math.max(...rs.map((r) => r.peak.rss))), MB(Math.max(...rs.map((r) => r.maxRssKb)) * 1024)]);
  }
  for (const { n, r } of limited) rows.push([`tune+policy, --max-old-space-size=${n}`, r.seconds.toFixed(2), '', r.cpuSeconds.toFixed(2), (bytes / 1048576 / r.seconds).toFixed(1), (r.seconds / base).toFixed(2), MB(r.peak.heapUsed), MB(r.peak.rss), MB(r.maxRssKb * 1024)]);
  table(rows);

  const full = results.get('tune+policy')[0].result;
  const set = full.sets[0];
  for (const { n, r } of limited) {
    const same = JSON.stringify(r.result.sets[0].processes) === JSON.stringify(set.processes);
    console.log(`  with a ${n} MB old-space limit the run completed; same top processes: ${same}`);
  }
  const t = set.totals;
  console.log(`\nTuning result (${full.status}; ${set.logs.map((l) => `${l.file} ${l.firstIso} → ${l.lastIso}`).join(', ')})`);
  console.log(`  file events ${num(t.fileEvents)}; excluded ${num(t.excluded)} (policy ${num(t.excludedByPolicy)}, connector's lines ${num(t.excludedByLog)}); engine ${num(t.engine)}, cloud ${num(t.cloud)}, cache ${num(t.cache)}, inner scans ${num(t.innerScans)}, "is excluded" lines ${num(t.exclusionHits)} (${num(t.exclusionHitsUnmatched ?? 0)} not matched by the policy)`);
  console.log(`  distinct: processes ${num(t.distinct.processes)}, files ≤ ${num(t.distinct.files)}, folders ≤ ${num(t.distinct.folders)}, extensions ${num(t.distinct.extensions)}; approximate: ${set.approximate}; bounds ${JSON.stringify(full.bounds)}`);
  printTop('Top processes', set.processes, (i) => (i.header ? ['follow-ups', 'never suggested'] : [num(i.work ?? 0), i.protected ?? '']));
  printTop('Top folders', set.folders);
  printTop('Top files', set.files);
  printTop('Top extensions', set.extensions);
  console.log(`\nEvents per ${set.timeline.bucketSeconds / 60} min: ${set.timeline.buckets.length} buckets; busiest:`);
  table([['from', 'total', 'file events', 'engine', 'cloud', 'cache', 'exclusion hits'], ...set.timeline.peaks.map((b) => [b.iso ?? b.start, num(b.total), num(b.fileEvents), num(b.engine), num(b.cloud), num(b.cache), num(b.exclusionHits)])]);
  console.log('\nSuggestions');
  table([['kind', 'value', 'events', 'share', 'cautions'], ...set.suggestions.map((s) => [s.kind, s.value, num(s.events), pct(s.share), s.cautions.join(',')])]);
  console.log('\nWithheld');
  table([['kind', 'value', 'events', 'reason'], ...set.withheld.map((w) => [w.kind, w.value, num(w.events), w.reason])]);
  console.log('\nPolicy exclusions that matched (the other ones never did)');
  table([
    ['#', 'value', 'shape', 'events', 'alone', 'wildcard-leading'],
    ...full.policy.exclusions.flatMap((x, i) => {
      const u = set.exclusionUsage[i];
      return u.events > 0 || x.wildcardLeading ? [[String(i + 1), x.value, x.shape, num(u.events), num(u.only), x.wildcardLeading ? 'yes' : '']] : [];
    }),
  ]);
}

if (process.argv.includes('--child')) await child(option('child'), process.argv[process.argv.indexOf('--child') + 2]);
else await parent();
