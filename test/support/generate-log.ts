/**
 * A deterministic connector log of any size for tests: `Event::HandleCreation` debug noise with
 * the seed 001 TETRA failure block (test/fixtures/seed-001/sfc.exe.log, its lines re-timed to the
 * generated clock) spread through it. Written in large chunks, so 60 MB takes well under a second.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { fixture } from './paths';

export interface GeneratedLog {
  file: string;
  bytes: number;
  lines: number;
  /** Zero-based line of each seed block's first line. */
  blocks: number[];
  /** Lines of the seed block, as written (re-timed), per block in the same order as `blocks`. */
  blockLines: string[][];
  first: string;
  last: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SEED_HEADER = /^\(\d+, \+\d+ ms\) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \[(\d+)\]: /;

function stamp(seconds: number): string {
  // Aug 04 00:00:00 onwards; days roll within August (tests stay far below 27 days).
  const day = 4 + Math.floor(seconds / 86400);
  const s = seconds % 86400;
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${MONTHS[7]} ${String(day).padStart(2, '0')} ${hh}:${mm}:${ss}`;
}

/**
 * Writes about `targetBytes` (never less) to `file`. A seed block follows every `blockEvery` bytes
 * of noise (default: ten blocks over the file), and the log ends with one.
 */
export function generateLog(file: string, targetBytes: number, options: { blockEvery?: number; linesPerSecond?: number } = {}): GeneratedLog {
  const seed = readFileSync(fixture('seed-001', 'sfc.exe.log'), 'utf8').replace(/\n$/, '').split('\n');
  const blockEvery = options.blockEvery ?? Math.max(1, Math.floor(targetBytes / 10));
  const perSecond = options.linesPerSecond ?? 40;
  const fd = openSync(file, 'w');
  const result: GeneratedLog = { file, bytes: 0, lines: 0, blocks: [], blockLines: [], first: '', last: '' };
  let buffer: string[] = [];
  let bufferBytes = 0;
  let sinceBlock = 0;
  let tick = 978_000_000;
  const flush = () => {
    if (buffer.length === 0) return;
    const text = buffer.join('');
    writeSync(fd, text);
    buffer = [];
    bufferBytes = 0;
  };
  const write = (line: string) => {
    const text = line + '\n';
    buffer.push(text);
    bufferBytes += text.length;
    result.bytes += text.length;
    result.lines++;
    if (bufferBytes >= 1 << 20) flush();
  };
  const now = () => stamp(Math.floor(result.lines / perSecond));
  const header = (thread: number, delta = 0) => {
    const t = now();
    result.first ||= t;
    result.last = t;
    return `(${tick++}, +${delta} ms) ${t} [${thread}]: `;
  };
  const block = () => {
    result.blocks.push(result.lines);
    const lines: string[] = [];
    for (const l of seed) {
      const m = SEED_HEADER.exec(l);
      const out = m ? header(Number(m[1])) + l.slice(m[0].length) : l;
      lines.push(out);
      write(out);
    }
    result.blockLines.push(lines);
    sinceBlock = 0;
  };
  try {
    let n = 0;
    while (result.bytes < targetBytes) {
      const name = `tmp${(n * 2654435761) % 1_000_003}.dat`;
      const line = `${header(4000 + (n % 16), n % 7)}Event::HandleCreation: START \\\\?\\C:\\Users\\user\\AppData\\Local\\Temp\\${name}(\\\\?\\C:\\Users\\user\\AppData\\Local\\Temp\\${name}), \\\\?\\C:\\Windows\\System32\\svchost.exe`;
      write(line);
      sinceBlock += line.length + 1;
      n++;
      if (sinceBlock >= blockEvery) block();
    }
    if (sinceBlock > 0 || result.blocks.length === 0) block();
    flush();
  } finally {
    closeSync(fd);
  }
  return result;
}
