// Hover latency and time to first diagnostics on a large open log, through the real language server.
//   node scripts/build.mjs && node bench/hover-large.mjs [--size 40] [--requests 200]
//
// Starts `node dist/server.js --stdio` (via the protocol tests' client, out/test/support/lsp-client.js),
// opens a generated debug connector log of --size MB (bench/generate-log.mjs; never committed) with
// didOpen carrying the full text, then:
//   - pull session (the client declares textDocument.diagnostic): time from didOpen to the first
//     `textDocument/diagnostic` answer, sent right after didOpen; then --requests hovers, one at a
//     time: half cycle over fixed positions (start / middle / end of the document, TETRA statuses on
//     header and wrapped continuation lines, the AVStat code, hex codes, event types, a word with no
//     number), half on distinct numbers never hovered before (ticks and thread ids of lines spread
//     over the document): the "first hover of a value" case;
//   - push session (no pull capability): time from didOpen to the first hover answer, and to the
//     first publishDiagnostics.
// Latency is the client's round trip (JSON-RPC over pipes included). Target: hover under 5 ms.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ensureLog } from './generate-log.mjs';
import { table } from './measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
let LspClient, fileUri;
try {
  ({ LspClient, fileUri } = require(join(root, 'out', 'test', 'support', 'lsp-client.js')));
  require.resolve(join(root, 'dist', 'server.js'));
} catch {
  console.error('out/test/support/lsp-client.js or dist/server.js is missing: run `node scripts/build.mjs` first.');
  process.exit(2);
}

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const sizeMB = Number(option('size', 40));
const requests = Number(option('requests', 200));
const TIMEOUT = 600_000;

const file = ensureLog(sizeMB);
const text = readFileSync(file, 'utf8');
const lines = text.split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const uri = fileUri(file);
const HEADER = /^\(\d+, \+\d+ ms\) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \[\d+\]: /;

// --- Positions ------------------------------------------------------------------------------------

/** The first line at or after `from` (or before it, with `backwards`) matching `re`; the cursor sits inside group 1. */
function find(label, re, from = 0, backwards = false) {
  for (let l = from; backwards ? l >= 0 : l < lines.length; backwards ? l-- : l++) {
    const m = re.exec(lines[l]);
    if (!m) continue;
    const at = m.index + m[0].indexOf(m[1]);
    return { label, line: l, character: at + Math.min(2, m[1].length - 1), value: m[1] };
  }
  throw new Error(`no line for ${label}`);
}
const mid = Math.floor(lines.length / 2);
const last = lines.length - 1;
const fixed = [
  find('tick, first line', /^\((\d+),/),
  find('tick, middle', /^\((\d+),/, mid),
  find('tick, last line', /^\((\d+),/, last, true),
  find('thread id, middle', /\[(\d+)\]: /, mid),
  find('rip (NFM), start', /NFMMemCache::Get: rip: (\d+)/),
  find('rip (NFM), middle', /NFMMemCache::Get: rip: (\d+)/, mid),
  find('rip (NFM), end', /NFMMemCache::Get: rip: (\d+)/, last, true),
  find('status, wrapped continuation line', /^failed with error (-\d+)/),
  find('status, "Update failed with error" header line', /Update failed with error (-\d+)$/),
  find('status, PerformTetraUpdate', /PerformTetraUpdate: bUpdated = FALSE, state: 20, status: (-\d+)$/),
  find('AVStat last err code (unsigned)', /last err code - (4\d{9})/),
  find('hex HRESULT 0x80072Exx', /\((0x80072E[0-9A-F]{2})\)/),
  find('hex 0x8009xxxx / 0x800Bxxxx', /error (0x800[9B][0-9A-F]{4})$/),
  find('event type=', /publishing type=(\d+)/, mid),
  find('Cache::Get age', /Cache::Get: age (\d+)/, mid),
  { label: 'no number (on a word)', line: mid, character: lines[mid].search(/[A-Za-z]{5}/) + 2 },
];

/** Distinct numbers never hovered before: ticks and thread ids of lines spread over the document. */
function distinct(n) {
  const out = [];
  const seen = new Set(fixed.map((p) => p.value));
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  while (out.length < n) {
    const l = Math.floor(rand() * lines.length);
    const m = HEADER.exec(lines[l]);
    if (!m) continue;
    const tick = /^\((\d+)/.exec(lines[l])[1];
    if (seen.has(tick)) continue;
    seen.add(tick);
    out.push({ label: 'distinct tick', line: l, character: 2, value: tick });
  }
  return out;
}

// --- Measuring --------------------------------------------------------------------------------------

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, p50: q(0.5), p95: q(0.95), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}
const f = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

function serverMemory(client) {
  try {
    const status = readFileSync(`/proc/${client.proc.pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

async function timed(fn) {
  const t = performance.now();
  const r = await fn();
  return { ms: performance.now() - t, r };
}

console.log(`node ${process.version}; ${file}: ${(Buffer.byteLength(text) / 1048576).toFixed(1)} MB, ${lines.length.toLocaleString('en')} lines; uri ${uri}`);

// Pull session: didOpen → first pulled diagnostics, then the hovers.
const pull = await LspClient.start({ pullDiagnostics: true });
const memBefore = serverMemory(pull);
const t0 = performance.now();
await pull.open(uri, 'secure-endpoint-log', text);
const diagnostics = await pull.pullDiagnostics(uri);
const toDiagnostics = performance.now() - t0;
const memAfterDiagnostics = serverMemory(pull);
const again = await timed(() => pull.pullDiagnostics(uri, diagnostics.resultId));

const half = Math.ceil(requests / 2);
const plan = [];
for (let i = 0; i < half; i++) plan.push({ ...fixed[i % fixed.length], round: Math.floor(i / fixed.length) });
for (const p of distinct(requests - half)) plan.push({ ...p, round: -1 });
const results = [];
for (const p of plan) {
  const { ms, r } = await timed(() => pull.hover(uri, p.line, p.character));
  results.push({ ...p, ms, hover: r });
}
const memAfterHovers = serverMemory(pull);
await pull.stop();

// Push session: didOpen → first hover answer, → first publishDiagnostics.
const push = await LspClient.start({ pullDiagnostics: false });
const t1 = performance.now();
await push.open(uri, 'secure-endpoint-log', text);
await push.hover(uri, fixed[0].line, fixed[0].character);
const toFirstHover = performance.now() - t1;
await push.until(() => push.published.some((p) => p.uri === uri), 'publishDiagnostics', TIMEOUT);
const toPublished = performance.now() - t1;
const publishedCount = push.published.find((p) => p.uri === uri).diagnostics.length;
await push.stop();

// --- Report --------------------------------------------------------------------------------------------

console.log('');
console.log('Document open and diagnostics');
table([
  ['measure', 'ms'],
  ['didOpen → first pulled diagnostics (request sent right after didOpen)', f(toDiagnostics)],
  ['  re-pull, same version ("unchanged")', f(again.ms)],
  ['didOpen → first hover answered (push session)', f(toFirstHover)],
  ['didOpen → first publishDiagnostics (push, includes the 150 ms debounce)', f(toPublished)],
]);
console.log(`  pulled: ${diagnostics.kind}, ${diagnostics.items?.length ?? 0} diagnostics (${[...new Set((diagnostics.items ?? []).map((d) => d.code))].join(', ')}); pushed: ${publishedCount}`);
if (memBefore && memAfterHovers) {
  console.log(`  server RSS: ${memBefore.rss.toFixed(0)} MB before open, ${memAfterDiagnostics.rss.toFixed(0)} MB after diagnostics, ${memAfterHovers.rss.toFixed(0)} MB after hovers; peak (VmHWM) ${memAfterHovers.hwm.toFixed(0)} MB`);
}

console.log('');
console.log(`Hover latency over ${results.length} requests (ms, client round trip; target < 5 ms)`);
const repeat = results.filter((r) => r.round >= 0);
const firstRound = repeat.filter((r) => r.round === 0);
const warm = repeat.filter((r) => r.round > 0);
const fresh = results.filter((r) => r.round < 0);
const row = (label, rs) => {
  const s = stats(rs.map((r) => r.ms));
  return [label, s.n, f(s.p50), f(s.p95), f(s.max), f(s.mean), rs.filter((r) => r.ms < 5).length];
};
table([
  ['set', 'n', 'p50', 'p95', 'max', 'mean', '< 5 ms'],
  row('all', results),
  row('fixed positions, first time each', firstRound),
  row('fixed positions, repeated', warm),
  row('distinct numbers, each hovered once', fresh),
]);
console.log('');
console.log('Per position (first hover / median of the repeats, ms)');
const perRows = [['position', 'line', 'value', 'first', 'repeat p50', 'answer']];
for (const p of fixed) {
  const rs = repeat.filter((r) => r.label === p.label);
  const first = rs.find((r) => r.round === 0);
  const later = rs.filter((r) => r.round > 0);
  const h = first?.hover?.contents?.value;
  const answer = h ? h.split('\n')[0].slice(0, 60) : 'null';
  perRows.push([p.label, p.line, p.value ?? '', first ? f(first.ms) : '', later.length ? f(stats(later.map((r) => r.ms)).p50) : '', answer]);
}
table(perRows);
