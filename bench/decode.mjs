// Decode speed: how long one value takes, as hover and the CLI use it.
//   node bench/decode.mjs [iterations=200000]        (run `node scripts/build.mjs` first)
// Values: every BRIEF §3 code in several forms, random 32-bit values (mostly unknown), and the
// number-under-the-cursor path (scan a real log line + decode), as a hover does.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const { decode, numberAt } = require(join(root, 'out', 'src', 'core', 'codes', 'index.js'));

const n = Number(process.argv[2] ?? 200_000);
const known = ['4294965193', '-2103', '0xFFFFF7C9', '-3000', '4294964296', '0x80092013', '0x80072ee2', '3240624137', '553648215', '0xC0000005', '12002'];
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0), seed);
const randoms = Array.from({ length: 1024 }, () => '0x' + random().toString(16));
const line = '(978223515, +0 ms) Aug 04 07:30:23 [11944]: AVStat::CopyInternal : engine - 2, defs - 0, first failure - Thu Aug 4 06:35:16 2022, last err code - 4294964296, last upd success - never';
const at = line.indexOf('4294964296') + 3;

function time(label, fn) {
  for (let i = 0; i < 2000; i++) fn(i); // warm up
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - t) / n;
  console.log(`${label.padEnd(44)} ${(ns / 1000).toFixed(2)} µs per value`);
}

time('decode, known codes (exhaustive, as the CLI)', (i) => decode(known[i % known.length], undefined, { exhaustive: true }));
time('decode, random 32-bit values', (i) => decode(randoms[i & 1023]));
time('decode with context (tetra-status)', (i) => decode(known[i % 5], 'tetra-status'));
time('hover path: numberAt on a log line', () => numberAt(line, at));
