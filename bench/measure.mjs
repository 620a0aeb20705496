// What the benchmarks share: the measurement of one run, and the printing of a table.
//
// What every benchmark child measures around one run: wall and CPU time, the memory before the
// run (baseline, after loading the code) and its peaks, sampled every 50 ms and once at the end.

/** Runs `work` and returns its result with `{ seconds, cpuSeconds, baseline, peak }`. */
export async function measured(work) {
  globalThis.gc?.();
  const baseline = process.memoryUsage();
  const peak = { heapUsed: 0, external: 0, arrayBuffers: 0, rss: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peak)) if (m[k] > peak[k]) peak[k] = m[k];
  };
  const timer = setInterval(sample, 50);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const c = process.cpuUsage(cpu);
    sample();
    return { result, seconds, cpuSeconds: (c.user + c.system) / 1e6, baseline, peak };
  } finally {
    clearInterval(timer);
  }
}

/** Prints rows as a table: the first row is the header, the first column left-aligned, the rest right-aligned. */
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const line = (r) => r.map((v, c) => (c === 0 ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join('  ');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}
