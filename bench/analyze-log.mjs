// Throughput and memory of the streaming log analysis, against grep, on a generated debug connector
// log (bench/generate-log.mjs; never committed, bench/generated/ is git-ignored).
//
//   node scripts/build.mjs && node bench/analyze-log.mjs [sizeMB] [options]
//     --size N         the large log, in MB (default 200; or the first argument)
//     --small N        the second size, to show memory does not grow with the file (default 100)
//     --runs N         runs per measurement; the best is reported (default 3: the machine is noisy)
//     --heap-limit L   also run on the large log with --max-old-space-size=N for each N in the
//                      comma-separated list L (default 64,16; 0: skip), to show it completes
//     --profile        also run once under `node --cpu-prof` and print the hot spots
//                      (bench/generated/profiles/; summary by bench/profile-summary.mjs)
//     --out            measure the per-file out/ build instead of core bundled as dist/ ships it
//     --child FILE     internal: analyse FILE in this process, print one JSON line
//
// Every analysis runs in its own child process, started fresh, so one run's garbage or the
// generator's never counts against another's peak memory. The analysis is the project's own code:
// `analyzeLogFile` from out/src/core/bundle/inputs.js (streams the file through a reused buffer).
// Memory (process.memoryUsage) is sampled every 50 ms and once at the end; the peaks are reported.
// grep and wc read the same file, warm in the page cache like the analysis (an untimed read first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLog, GENERATED_DIR } from './generate-log.mjs';
import { measured, table } from './measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);
const outInputsJs = join(root, 'out', 'src', 'core', 'bundle', 'inputs.js');
// What ships: core bundled and minified as in dist/ (esbuild), unless --out asks for the per-file
// out/ build (used for --profile, whose summary maps lines through out/'s source maps).
const bundledInputsJs = join(root, 'bench', 'generated', 'core-bundle.cjs');
const useOut = process.argv.includes('--out') || process.argv.includes('--profile');
const inputsJs = process.env.BUNDLE_LENS_BENCH_MODULE ?? (useOut ? outInputsJs : bundledInputsJs);

async function bundleCore() {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(root, 'src', 'core', 'bundle', 'inputs.ts')],
    outfile: bundledInputsJs,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
  });
}

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

// --- Child: one analysis, measured ---------------------------------------------------------------

async function child(file) {
  const require = createRequire(import.meta.url);
  const { analyzeLogFile } = require(inputsJs);
  const { result: a, seconds, cpuSeconds, baseline, peak } = await measured(() => analyzeLogFile(file));
  const findings = a.findings.map((f) => `${f.id}${f.args?.status !== undefined ? ` ${f.args.status}` : ''}×${f.args?.count ?? 1}`).join(', ');
  const out = {
    file,
    bytes: statSync(file).size,
    seconds,
    cpuSeconds,
    lines: a.lines,
    entries: a.entries,
    orphanLines: a.orphanLines,
    first: a.firstIso ?? a.firstTimestamp,
    last: a.lastIso ?? a.lastTimestamp,
    debug: a.debug,
    findings,
    attempts: a.attempts.length,
    components: a.components.length,
    baseline: { heapUsed: baseline.heapUsed, external: baseline.external, arrayBuffers: baseline.arrayBuffers, rss: baseline.rss },
    peak,
    maxRssKb: process.resourceUsage().maxRSS,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

// --- Parent: orchestration and the table ---------------------------------------------------------

/** Runs one analysis in a fresh `node` (with extra flags); returns its JSON. */
function runChild(file, flags = []) {
  const r = spawnSync(process.execPath, [...flags, self, '--child', file], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, BUNDLE_LENS_BENCH_MODULE: inputsJs } });
  if (r.status !== 0) throw new Error(`analysis child failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** Wall time of a command, in seconds, and its output. */
function timeCommand(cmd, args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed: ${r.stderr}`);
  return { seconds, out: r.stdout.trim() };
}

function best(runs, key = 'seconds') {
  return runs.reduce((a, b) => (b[key] < a[key] ? b : a));
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
const MB = (n) => `${(n / 1048576).toFixed(1)} MB`;
const num = (n) => Math.round(n).toLocaleString('en');

async function parent() {
  if (!useOut && !process.env.BUNDLE_LENS_BENCH_MODULE) await bundleCore();
  if (!existsSync(inputsJs)) {
    console.error(`${inputsJs} is missing: run \`node scripts/build.mjs\` first.`);
    process.exit(2);
  }
  // `node bench/analyze-log.mjs 200` (the README's form) still works.
  const size = Number(option('size', /^\d+$/.test(process.argv[2] ?? '') ? process.argv[2] : 200));
  const small = Number(option('small', 100));
  const runs = Number(option('runs', 3));
  const heapLimits = String(option('heap-limit', '64,16')).split(',').map(Number).filter((n) => n > 0);
  const large = ensureLog(size);
  const smaller = small > 0 && small !== size ? ensureLog(small) : undefined;
  const bytes = statSync(large).size;

  // Warm the page cache for everyone (untimed).
  for (const f of [large, smaller]) if (f) spawnSync('cat', [f], { stdio: ['ignore', 'ignore', 'inherit'] });

  console.log(`node ${process.version}, ${(await import("node:os")).cpus().length} CPUs; file ${large}; code ${inputsJs.startsWith(join(root, "out")) ? "out/ (per-file build)" : "core bundled and minified as dist/ ships it"}`);
  console.log('');

  // (a) throughput, (b) memory: `runs` fresh processes on the large log.
  const big = [];
  for (let i = 0; i < runs; i++) big.push(runChild(large));
  const b = best(big);
  const smalls = [];
  if (smaller) for (let i = 0; i < runs; i++) smalls.push(runChild(smaller));
  const limited = heapLimits.map((n) => ({ n, r: runChild(large, [`--max-old-space-size=${n}`]) }));

  // (c) grep and wc over the same file.
  const tools = [
    ['grep -c \'Update failed\'', 'grep', ['-c', 'Update failed', large]],
    ['LC_ALL=C grep -c \'Update failed\'', 'env', ['LC_ALL=C', 'grep', '-c', 'Update failed', large]],
    ['grep -c .', 'grep', ['-c', '.', large]],
    ['wc -l', 'wc', ['-l', large]],
  ].map(([label, cmd, args]) => {
    const rs = [];
    for (let i = 0; i < runs; i++) rs.push(timeCommand(cmd, args));
    return { label, ...best(rs), all: rs.map((r) => r.seconds) };
  });

  console.log(`Analysed: ${num(b.lines)} lines, ${num(b.entries)} entries, ${num(b.orphanLines)} orphan lines; ${b.first} → ${b.last}; debug ${b.debug}`);
  console.log(`Findings (id status×count): ${b.findings}`);
  console.log('');
  console.log(`Throughput, core analyzeLogFile, ${MB(bytes)} (best of ${runs} fresh processes; all: ${big.map((r) => r.seconds.toFixed(2)).join(' / ')} s)`);
  table([
    ['', 'wall s', 'cpu s', 'MB/s', 'lines/s'],
    ['best', b.seconds.toFixed(2), b.cpuSeconds.toFixed(2), (bytes / 1048576 / b.seconds).toFixed(1), num(b.lines / b.seconds)],
    ['median', median(big.map((r) => r.seconds)).toFixed(2), median(big.map((r) => r.cpuSeconds)).toFixed(2), (bytes / 1048576 / median(big.map((r) => r.seconds))).toFixed(1), num(b.lines / median(big.map((r) => r.seconds)))],
  ]);
  console.log('');
  console.log('Memory (peaks over 50 ms samples; baseline = after loading the code, before reading)');
  const memRows = [['run', 'file', 'wall s', 'heapUsed', 'external', 'arrayBuffers', 'rss', 'maxRSS (OS)', 'baseline heap', 'baseline rss']];
  const memRow = (label, r) => [label, MB(r.bytes), r.seconds.toFixed(2), MB(r.peak.heapUsed), MB(r.peak.external), MB(r.peak.arrayBuffers), MB(r.peak.rss), MB(r.maxRssKb * 1024), MB(r.baseline.heapUsed), MB(r.baseline.rss)];
  if (smaller) smalls.forEach((r, i) => memRows.push(memRow(`small #${i + 1}`, r)));
  big.forEach((r, i) => memRows.push(memRow(`large #${i + 1}`, r)));
  for (const { n, r } of limited) memRows.push(memRow(`--max-old-space-size=${n}`, r));
  table(memRows);
  for (const { n, r } of limited) console.log(`  with a ${n} MB old-space limit the ${MB(bytes)} log completed: ${num(r.lines)} lines, same findings: ${r.findings === b.findings}`);
  console.log('');
  console.log(`grep / wc over the same ${MB(bytes)} (best of ${runs})`);
  const toolRows = [['command', 'wall s', 'MB/s', 'output', 'core ÷ this']];
  toolRows.push(['core analyzeLogFile', b.seconds.toFixed(2), (bytes / 1048576 / b.seconds).toFixed(1), `${num(b.lines)} lines`, '1.0']);
  for (const t of tools) toolRows.push([t.label, t.seconds.toFixed(3), (bytes / 1048576 / t.seconds).toFixed(0), t.out.split(/\s+/)[0], (b.seconds / t.seconds).toFixed(1)]);
  table(toolRows);
  console.log(`\nRatio core-time / grep-time (grep -c 'Update failed'): ${(b.seconds / tools[0].seconds).toFixed(1)}×`);

  if (process.argv.includes('--profile')) {
    const dir = join(GENERATED_DIR, 'profiles');
    mkdirSync(dir, { recursive: true });
    const name = `analyze-${size}MB-${Date.now()}.cpuprofile`;
    const p = runChild(large, ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`]);
    console.log(`\nCPU profile (${p.seconds.toFixed(2)} s under the profiler): ${join(dir, name)}`);
    const { summarise } = await import('./profile-summary.mjs');
    summarise(join(dir, name), { top: 20 });
  }
}

if (process.argv.includes('--child')) await child(option('child'));
else await parent();
