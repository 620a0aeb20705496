// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time and total time by function, with
// the TypeScript file:line where the JavaScript has a source map (out/ carries inline maps).
//   node bench/profile-summary.mjs <file.cpuprofile> [--top N] [--all]
//     --all        include node internals and (program)/(garbage collector) in the function table
//                  (they are always in the totals line)
//     --no-lines   omit each function's hottest lines (from V8's per-line ticks)
import { readFileSync, existsSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Source maps per script URL (inline `data:` or a linked file), cached; null when none. */
const maps = new Map();
function sourceMapFor(url) {
  if (maps.has(url)) return maps.get(url);
  let map = null;
  try {
    if (url.startsWith('file:')) {
      const file = fileURLToPath(url);
      const text = readFileSync(file, 'utf8');
      const m = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text);
      if (m) {
        const ref = m[1];
        let payload;
        if (ref.startsWith('data:')) payload = JSON.parse(Buffer.from(ref.slice(ref.indexOf(',') + 1), 'base64').toString('utf8'));
        else if (existsSync(join(dirname(file), ref))) payload = JSON.parse(readFileSync(join(dirname(file), ref), 'utf8'));
        // esbuild's per-file CommonJS output (out/) reads every import through getters defined in
        // its preamble, up to `module.exports = __toCommonJS(…)`; the bundles in dist/ have none.
        const lines = text.split('\n');
        const glueEnd = lines.findIndex((l) => l.startsWith('module.exports = __toCommonJS('));
        if (payload) map = { map: new SourceMap(payload), dir: dirname(file), glueEnd, lines };
      }
    }
  } catch {
    map = null;
  }
  maps.set(url, map);
  return map;
}

/** `src/core/log/entry.ts:97` (1-based) for a call frame, through the source map where there is one. */
function location(frame) {
  const { url, lineNumber, columnNumber } = frame;
  if (!url) return '';
  const sm = sourceMapFor(url);
  const path = url.startsWith('file:') ? relative(root, fileURLToPath(url)) : url;
  if (sm && lineNumber >= 0 && lineNumber < sm.glueEnd) return `${path}:${lineNumber + 1} (esbuild export getter: out/ only, not in dist/)`;
  if (sm && lineNumber >= 0) {
    const e = sm.map.findEntry(lineNumber, Math.max(0, columnNumber));
    if (e && e.originalSource) {
      const src = e.originalSource.startsWith('file:') ? fileURLToPath(e.originalSource) : resolve(sm.dir, e.originalSource);
      return `${relative(root, src)}:${e.originalLine + 1}`;
    }
  }
  return `${path}:${lineNumber + 1}`;
}

/** The TypeScript line (1-based) of a generated line (1-based), for `positionTicks`. */
function sourceLine(url, line) {
  const sm = sourceMapFor(url);
  if (!sm) return `${line}`;
  if (line - 1 < sm.glueEnd) return `${line}(js)`;
  const text = sm.lines[line - 1] ?? '';
  const e = sm.map.findEntry(line - 1, Math.max(0, text.search(/\S/)));
  return e && e.originalSource ? `${e.originalLine + 1}` : `${line}(js)`;
}

const isInternal = (frame) => !frame.url || frame.url.startsWith('node:') || !frame.url.startsWith('file:');

/**
 * `:97 41%, :99 22% | inlined ~:145 62%` — the function's hottest TypeScript lines, by share of its
 * own samples. V8 also attributes ticks of code inlined into the function to it; lines outside the
 * function's own span (its start up to the next function's start in that script) are listed after
 * `inlined`, mapped through this script's source map: right when the callee is in the same file,
 * meaningless when it is in another one (hence the `~`).
 */
function hotLines(e, n = 4) {
  const own = new Map();
  const inlined = new Map();
  let total = 0;
  const starts = functionStarts.get(e.frame.url) ?? [];
  const from = e.frame.lineNumber + 1;
  const next = starts.find((s) => s + 1 > from);
  const to = next === undefined ? Infinity : next + 1;
  for (const [line, ticks] of e.lineTicks) {
    total += ticks;
    const map = line >= from && line < to ? own : inlined;
    const l = sourceLine(e.frame.url, line);
    map.set(l, (map.get(l) ?? 0) + ticks);
  }
  if (total === 0) return '';
  const top = (m, prefix) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([l, t]) => `${prefix}:${l} ${Math.round((100 * t) / total)}%`).join(', ');
  return [own.size ? top(own, '') : '', inlined.size ? `inlined ${top(inlined, '~')}` : ''].filter(Boolean).join(' | ');
}

/** Start lines (0-based) of every function seen per script, sorted: bounds for `hotLines`. */
const functionStarts = new Map();

export function summarise(file, { top = 15, all = false, print = true, lines = true } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Sample i lasts until sample i+1 (as DevTools counts); the last one gets the mean interval.
  const { samples, timeDeltas } = profile;
  const totalUs = profile.endTime - profile.startTime;
  const durations = samples.map((_, i) => (i + 1 < samples.length ? timeDeltas[i + 1] : totalUs / samples.length));

  const key = (n) => `${n.callFrame.functionName || '(anonymous)'}\u0000${n.callFrame.url}\u0000${n.callFrame.lineNumber}\u0000${n.callFrame.columnNumber}`;
  const byKey = new Map();
  const entry = (n) => {
    const k = key(n);
    let e = byKey.get(k);
    if (!e) byKey.set(k, (e = { name: n.callFrame.functionName || '(anonymous)', frame: n.callFrame, self: 0, total: 0, lineTicks: new Map() }));
    return e;
  };
  functionStarts.clear();
  for (const n of profile.nodes) {
    const { url, lineNumber } = n.callFrame;
    if (!functionStarts.has(url)) functionStarts.set(url, new Set());
    functionStarts.get(url).add(lineNumber);
  }
  for (const [url, set] of functionStarts) functionStarts.set(url, [...set].sort((a, b) => a - b));
  // Hit counts per source line inside each function (V8's positionTicks, generated lines).
  for (const n of profile.nodes) {
    if (!n.positionTicks) continue;
    const e = entry(n);
    for (const { line, ticks } of n.positionTicks) e.lineTicks.set(line, (e.lineTicks.get(line) ?? 0) + ticks);
  }
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const d = durations[i];
    if (!(d > 0)) continue;
    sum += d;
    let n = nodes.get(samples[i]);
    entry(n).self += d;
    // Total time: each function once per sample, however deep the recursion.
    const seen = new Set();
    for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
      n = nodes.get(id);
      const e = entry(n);
      if (!seen.has(e)) {
        seen.add(e);
        e.total += d;
      }
    }
  }
  const rows = [...byKey.values()].filter((e) => e.name !== '(root)');
  const special = (name) => rows.filter((e) => e.name === name).reduce((a, e) => a + e.self, 0);
  const gc = special('(garbage collector)');
  const program = special('(program)');
  const idle = special('(idle)');
  const internal = rows.filter((e) => !e.name.startsWith('(') && isInternal(e.frame)).reduce((a, e) => a + e.self, 0);
  const shown = rows.filter((e) => all || (!e.name.startsWith('(') && !isInternal(e.frame))).sort((a, b) => b.self - a.self).slice(0, top);

  const ms = (us) => (us / 1000).toFixed(0);
  const pct = (us) => `${((100 * us) / sum).toFixed(1)}%`;
  if (print) {
    console.log(`profile ${relative(process.cwd(), file)}: ${samples.length} samples, ${ms(sum)} ms sampled`);
    console.log(`  GC ${pct(gc)}, (program) ${pct(program)}, idle ${pct(idle)}, node/V8 internals (self) ${pct(internal)}`);
    const header = ['#', 'self ms', 'self %', 'total %', 'function', 'where'];
    const table = [header, ...shown.map((e, i) => [String(i + 1), ms(e.self), pct(e.self), pct(e.total), e.name, location(e.frame)])];
    const widths = header.map((_, c) => Math.max(...table.map((r) => r[c].length)));
    for (const [i, r] of table.entries()) {
      console.log('  ' + r.map((v, c) => (c < 4 ? v.padStart(widths[c]) : v.padEnd(widths[c]))).join('  ').trimEnd());
      if (i === 0) console.log('  ' + widths.map((w) => '-'.repeat(w)).join('  '));
      else if (lines) {
        const e = shown[i - 1];
        const hot = hotLines(e);
        if (hot) console.log('  ' + ' '.repeat(widths[0] + widths[1] + widths[2] + widths[3] + 8) + `hot lines: ${hot}`);
      }
    }
    // The internals the project's code spends most in (regexp execution, string building, …).
    const internals = rows.filter((e) => !e.name.startsWith('(') && isInternal(e.frame)).sort((a, b) => b.self - a.self).slice(0, 8);
    if (internals.length) console.log(`  top internals (self): ${internals.map((e) => `${(e.name || '(anonymous)').slice(0, 70)}${e.frame.url ? ` [${e.frame.url}]` : ''} ${pct(e.self)}`).join('; ')}`);
  }
  return { sampledUs: sum, gc, program, idle, rows: shown.map((e) => ({ name: e.name, where: location(e.frame), selfUs: e.self, totalUs: e.total, hotLines: hotLines(e) })) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [--top N] [--all]');
    process.exit(2);
  }
  const i = process.argv.indexOf('--top');
  summarise(resolve(file), { top: i > 0 ? Number(process.argv[i + 1]) : 15, all: process.argv.includes('--all'), lines: !process.argv.includes('--no-lines') });
}
