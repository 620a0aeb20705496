// Throughput of the streaming log analysis on a generated connector log (never committed).
//   node bench/analyze-log.mjs [sizeMB=200]        (run `node scripts/build.mjs` first)
// Generates bench/generated/sfc.exe.log in the seed shapes (debug lines, TETRA attempts every
// ~4 hours with rotating statuses, AVStat lines, wrapped continuation lines), then streams it
// through the same code the CLI and server use, and prints time, MB/s, lines/s and peak memory.
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const { analyzeLogFile } = require(join(root, 'out', 'src', 'core', 'bundle', 'inputs.js'));

const sizeMB = Number(process.argv[2] ?? 200);
const dir = join(root, 'bench', 'generated');
const file = join(dir, `sfc.exe.${sizeMB}MB.log`);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const STATUSES = [-2103, -2100, -2109, -3000, -2999];

async function generate() {
  mkdirSync(dir, { recursive: true });
  const out = createWriteStream(file);
  const target = sizeMB * 1024 * 1024;
  let written = 0;
  let tick = 978223515;
  let t = Date.UTC(2028, 11, 30, 0, 0, 0);
  let n = 0;
  const write = (s) => {
    written += s.length;
    return out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', r));
  };
  while (written < target) {
    const d = new Date(t);
    const ts = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, '0')} ${d.toISOString().slice(11, 19)}`;
    const tid = 1000 + (n % 7) * 1111;
    const p = `(${tick}, +${n % 5} ms) ${ts} [${tid}]: `;
    let chunk = '';
    chunk += `${p}Event::HandleCreation: START \\\\?\\C:\\Users\\u${n % 50}\\AppData\\Local\\Temp\\f${n % 997}.tmp(\\\\?\\C:\\Users\\u${n % 50}\\AppData\\Local\\Temp\\f${n % 997}.tmp), \\\\?\\C:\\Windows\\System32\\svchost.exe\n`;
    chunk += `${p}Exclusion::IsExcluded: result: 0 from cache for \\\\?\\C:\\Program Files\\App${n % 13}\\app.exe,\n`;
    chunk += `${p}imn::CEventManager::PublishEvent: publishing type=553648143\n`;
    chunk += `${p}NFMMemCache::Get: rip: ${16885952 + (n % 255)}\n`;
    if (n % 4000 === 0) {
      const s = STATUSES[(n / 4000) % STATUSES.length];
      chunk += `${p}TetraUpdateInterface::update updateDir:\nC:\\Program Files\\Cisco\\AMP\\tetra, 20, ${s}, ${s}, 0, 0, 0\n`;
      chunk += `${p}ERROR: TetraUpdateInterface::update Update failed with error ${s}\n`;
      chunk += `${p}PerformTetraUpdate: bUpdated = FALSE, state:\n20, status: ${s}\n`;
      chunk += `${p}AVStat::CopyInternal : engine - 2, defs - 0, first failure - never, last err code - ${s >>> 0}, last upd success - never\n`;
    }
    await write(chunk);
    n++;
    tick += 3;
    t += 1000;
  }
  await new Promise((r) => out.end(r));
}

if (!existsSync(file) || statSync(file).size < sizeMB * 1024 * 1024) {
  const g = Date.now();
  await generate();
  console.log(`generated ${file} in ${((Date.now() - g) / 1000).toFixed(1)} s`);
}
const bytes = statSync(file).size;
const peak = { rss: 0, heapUsed: 0, external: 0 };
const sample = () => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]);
};
const timer = setInterval(sample, 20);
const started = process.hrtime.bigint();
const a = await analyzeLogFile(file);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
clearInterval(timer);
sample();
console.log(`file        ${(bytes / 1048576).toFixed(0)} MB, ${a.lines.toLocaleString('en')} lines, ${a.entries.toLocaleString('en')} entries`);
console.log(`analysis    ${seconds.toFixed(2)} s  (${(bytes / 1048576 / seconds).toFixed(0)} MB/s, ${Math.round(a.lines / seconds).toLocaleString('en')} lines/s)`);
console.log(`findings    ${a.findings.map((f) => `${f.args.status}×${f.args.count}`).join(', ')}`);
const mb = (n) => `${(n / 1048576).toFixed(0)} MB`;
console.log(`peak memory heap ${mb(peak.heapUsed)}, external (buffers) ${mb(peak.external)}, RSS ${mb(peak.rss)}`);
