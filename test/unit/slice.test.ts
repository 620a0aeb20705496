import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeFile, MAX_SLICE_CHARS, parseLogTime, SliceFilterError, sliceLog, type SliceOptions, type SliceResult } from '../../src/core/log/slice';
import { CancelledError } from '../../src/core/types';
import { generateLog } from '../support/generate-log';
import { fixture } from '../support/paths';

const LOG = [
  'startup error before any entry: never matched', //                                    0 (orphan)
  '(100, +0 ms) Aug 04 07:30:20 [1]: Event::HandleCreation: START \\\\?\\C:\\a.txt', //     1  entry 0
  '(101, +0 ms) Aug 04 07:30:21 [1]: Event::HandleCreation: START \\\\?\\C:\\b.txt', //     2  entry 1
  '(102, +0 ms) Aug 04 07:30:22 [2]: ERROR: TetraUpdateInterface::update Update', //       3  entry 2 (error)
  'failed with error -3000', //                                                           4
  '(103, +0 ms) Aug 04 07:30:23 [1]: Event::HandleCreation: START \\\\?\\C:\\c.txt', //     5  entry 3
  '(104, +0 ms) Aug 04 07:30:24 [1]: Event::HandleCreation: START \\\\?\\C:\\d.txt', //     6  entry 4
  '(105, +0 ms) Aug 04 07:30:25 [1]: Event::HandleCreation: START \\\\?\\C:\\e.txt', //     7  entry 5
  '(106, +0 ms) Aug 04 07:30:26 [3]: PerformTetraUpdate: bUpdated = FALSE, state:', //     8  entry 6 (rule flags it)
  '20, status: -3000', //                                                                 9
  '(107, +0 ms) Aug 04 07:30:27 [1]: Event::HandleCreation: START \\\\?\\C:\\f.txt', //    10  entry 7
  '(108, +0 ms) Aug 04 07:30:28 [4]: TetraUpdaterInit defInit: 0, bUpdate: 0', //         11  entry 8
];
const TEXT = LOG.join('\n') + '\n';

/** Every slice line is the original line its map names; separators are empty and map to -1. */
function assertLineMap(r: SliceResult, original: string[]): void {
  const lines = r.text === '' ? [] : r.text.split('\n');
  assert.equal(lines.length, r.lines.length);
  lines.forEach((l, i) => {
    const at = r.lines[i]!;
    if (at === -1) assert.equal(l, '', `slice line ${i} is a separator`);
    else assert.equal(l, original[at], `slice line ${i} ↔ original line ${at}`);
  });
}

async function slice(options: SliceOptions, text = TEXT): Promise<SliceResult> {
  const r = await sliceLog(text, options);
  assertLineMap(r, text.split(/\r?\n/));
  return r;
}

const tmp = mkdtempSync(path.join(tmpdir(), 'bl-slice-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('sliceLog filters', () => {
  it('errors only: marked entries and entries the TETRA rule flags, whole (continuations too), hunks separated', async () => {
    const r = await slice({ errorsOnly: true });
    assert.deepEqual(r.lines, [3, 4, -1, 8, 9]);
    assert.equal(r.matched, 2);
    assert.equal(r.truncated, false);
    assert.equal(r.scannedLines, LOG.length);
    assert.equal(r.text, [LOG[3], LOG[4], '', LOG[8], LOG[9]].join('\n'));
  });

  it('errors only: a failure word without a marker counts; a successful result does not', async () => {
    const text = [
      '(1, +0 ms) Aug 04 07:30:20 [1]: CloudLookup::Run lookup failed: timeout',
      '(2, +0 ms) Aug 04 07:30:21 [1]: PerformTetraUpdate: bUpdated = TRUE, state: 0, status: 0',
      '(3, +0 ms) Aug 04 07:30:22 [1]: AVStat::CopyInternal : engine - 2, defs - 0, first failure - never, last err code - 4294964296, last upd success - never',
      '(4, +0 ms) Aug 04 07:30:23 [1]: AVStat::CopyInternal : engine - 2, defs - 9, first failure - never, last err code - 0, last upd success - never',
      '(5, +0 ms) Aug 04 07:30:24 [1]: WARNING: Config::Load slow',
    ].join('\n');
    const r = await slice({ errorsOnly: true }, text);
    assert.deepEqual(r.lines, [0, -1, 2, -1, 4]);
  });

  it('one component (componentOf): Event only, runs of adjacent entries in one hunk', async () => {
    const r = await slice({ component: 'Event' });
    assert.deepEqual(r.lines, [1, 2, -1, 5, 6, 7, -1, 10]);
    assert.equal(r.matched, 6);
    const t = await slice({ component: 'TetraUpdaterInit' });
    assert.deepEqual(t.lines, [11]);
  });

  it('text contains, case-insensitive, across a wrapped entry and in the header', async () => {
    assert.deepEqual((await slice({ text: 'START \\\\?\\c:\\C.TXT' })).lines, [5]);
    assert.deepEqual((await slice({ text: 'update failed with ERROR -3000' })).lines, [3, 4]);
    assert.deepEqual((await slice({ text: '[3]:' })).lines, [8, 9]);
  });

  it('a time window, inclusive at both ends; filters combine', async () => {
    assert.deepEqual((await slice({ from: 'Aug 04 07:30:23', to: 'Aug 04 07:30:25' })).lines, [5, 6, 7]);
    assert.deepEqual((await slice({ from: 'Aug 4 07:30:27' })).lines, [10, 11]);
    assert.deepEqual((await slice({ to: 'Aug 04 07:30:20' })).lines, [1]);
    assert.deepEqual((await slice({ from: 'Aug 04 07:30:23', errorsOnly: true })).lines, [8, 9]);
    assert.equal((await slice({ from: 'Sep 01 00:00:00' })).matched, 0);
  });

  it('a window across Dec→Jan (the log has no year)', async () => {
    const text = [
      '(1, +0 ms) Dec 31 23:59:58 [1]: A::a one',
      '(2, +0 ms) Dec 31 23:59:59 [1]: A::a two',
      '(3, +0 ms) Jan 01 00:00:00 [1]: A::a three',
      '(4, +0 ms) Jan 01 00:00:01 [1]: A::a four',
    ].join('\n');
    assert.deepEqual((await slice({ from: 'Dec 31 23:59:59', to: 'Jan 01 00:00:00' }, text)).lines, [1, 2]);
    // January is after December here, not before it.
    assert.deepEqual((await slice({ from: 'Jan 01 00:00:01' }, text)).lines, [3]);
    assert.deepEqual((await slice({ to: 'Dec 31 23:59:58' }, text)).lines, [0]);
    assert.deepEqual((await slice({ to: 'Jan 01 00:00:00' }, text)).lines, [0, 1, 2]);
  });

  it('refuses a from/to that is not a log time', async () => {
    await assert.rejects(sliceLog(TEXT, { from: '2022-08-04 07:30' }), (e: unknown) => e instanceof SliceFilterError && e.field === 'from');
    await assert.rejects(sliceLog(TEXT, { to: 'Aug 32 07:30:00' }), (e: unknown) => e instanceof SliceFilterError && e.field === 'to');
    assert.deepEqual(parseLogTime('aug  4 7:05:09'), { month: 8, day: 4, seconds: 7 * 3600 + 5 * 60 + 9 });
  });

  it('never matches lines before the first entry', async () => {
    const r = await slice({ text: 'startup error' });
    assert.equal(r.matched, 0);
    assert.equal(r.text, '');
    assert.deepEqual(r.lines, []);
  });

  it('no filter: every entry, one hunk, the orphan line left out', async () => {
    const r = await slice({});
    assert.deepEqual(r.lines, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});

describe('sliceLog context', () => {
  it('keeps N entries before and after each match', async () => {
    const r = await slice({ errorsOnly: true, context: 1 });
    assert.deepEqual(r.lines, [2, 3, 4, 5, -1, 7, 8, 9, 10]);
    assert.equal(r.matched, 2);
  });

  it('merges hunks whose context meets', async () => {
    const r = await slice({ errorsOnly: true, context: 2 });
    assert.deepEqual(r.lines, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('bounds context to 50 and treats nonsense as 0', async () => {
    assert.deepEqual((await slice({ errorsOnly: true, context: -3 })).lines, [3, 4, -1, 8, 9]);
    assert.deepEqual((await slice({ errorsOnly: true, context: Number.NaN })).lines, [3, 4, -1, 8, 9]);
    assert.deepEqual((await slice({ errorsOnly: true, context: 1000 })).lines, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('a line the assembler rejects (an orphan between entries) starts a new hunk', async () => {
    const many = Array.from({ length: 70 }, (_, i) => `continuation ${i}`);
    const text = ['(1, +0 ms) Aug 04 07:30:20 [1]: A::a first', ...many, '(2, +0 ms) Aug 04 07:30:21 [1]: A::a second'].join('\n');
    const r = await slice({}, text);
    // The first entry (its header and as many continuations as an entry takes), a separator where
    // the orphans were left out, then the second entry.
    const cut = r.lines.indexOf(-1);
    assert.ok(cut > 1 && cut < 71);
    assert.deepEqual(r.lines.slice(0, cut), Array.from({ length: cut }, (_, i) => i));
    assert.deepEqual(r.lines.slice(cut), [-1, 71]);
  });
});

describe('sliceLog input', () => {
  it('reads CRLF text the same as LF', async () => {
    const crlf = LOG.join('\r\n') + '\r\n';
    const r = await slice({ errorsOnly: true, context: 1 }, crlf);
    assert.deepEqual(r.lines, [2, 3, 4, 5, -1, 7, 8, 9, 10]);
    assert.ok(!r.text.includes('\r'));
  });

  it('reads any chunking of the text (chunks split lines, CRLF pairs and entries)', async () => {
    const crlf = LOG.join('\r\n') + '\r\n';
    const whole = await sliceLog(crlf, { errorsOnly: true, context: 1 });
    for (const size of [1, 2, 7, 64]) {
      const chunks: string[] = [];
      for (let i = 0; i < crlf.length; i += size) chunks.push(crlf.slice(i, i + size));
      assert.deepEqual(await sliceLog(chunks, { errorsOnly: true, context: 1 }), whole, `chunks of ${size}`);
    }
  });

  it('decodes UTF-16LE with a BOM from disk, and UTF-8 with a BOM', async () => {
    const u16 = path.join(tmp, 'u16-sfc.exe.log');
    writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LOG.join('\r\n'), 'utf16le')]));
    const r = await sliceLog(decodeFile(u16), { errorsOnly: true });
    assert.deepEqual(r.lines, [3, 4, -1, 8, 9]);
    assert.equal(r.text, [LOG[3], LOG[4], '', LOG[8], LOG[9]].join('\n'));
    const u8 = path.join(tmp, 'u8-sfc.exe.log');
    writeFileSync(u8, '\uFEFF' + LOG.slice(1).join('\n'));
    assert.deepEqual((await sliceLog(decodeFile(u8), { component: 'TetraUpdaterInit' })).lines, [10]);
    // A whole text with a BOM still parses its first line.
    assert.deepEqual((await sliceLog('\uFEFF' + LOG.slice(1).join('\n'), { component: 'Event', maxLines: 1 })).lines, [0]);
  });

  it('survives garbage and binary input without throwing', async () => {
    const bin = path.join(tmp, 'garbage.bin');
    const bytes = Buffer.alloc(300_000);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      bytes[i] = x >> 16;
    }
    writeFileSync(bin, bytes);
    const r = await sliceLog(decodeFile(bin), { errorsOnly: true, context: 3 });
    assert.equal(r.matched, 0);
    assert.equal(r.text, '');
    assert.ok(r.scannedLines > 0);
    const nul = await sliceLog('\u0000\u0000(\u0000\n)) ms) Aug 99 99:99:99 [x]:\n' + '\uFFFD'.repeat(100_000), {});
    assert.equal(nul.matched, 0);
    const empty = await sliceLog('', { errorsOnly: true });
    assert.deepEqual(empty, { text: '', lines: [], matched: 0, truncated: false, scannedLines: 0 });
  });

  it('matches the seed 001 failure block, line for line', async () => {
    const seed = readFileSync(fixture('seed-001', 'sfc.exe.log'), 'utf8');
    const r = await slice({ errorsOnly: true }, seed);
    const lines = r.text.split('\n');
    assert.ok(lines.includes('failed with error -3000'));
    assert.ok(lines.includes('20, status: -3000'));
    assert.equal(r.matched, 4);
  });
});

describe('sliceLog bounds', () => {
  it('stops at maxLines on an entry boundary, still counting matches', async () => {
    const r = await slice({ errorsOnly: true, maxLines: 4 });
    assert.deepEqual(r.lines, [3, 4]);
    assert.equal(r.truncated, true);
    assert.equal(r.matched, 2);
    assert.equal(r.scannedLines, LOG.length);
  });

  it('shows part of an entry larger than the whole budget', async () => {
    const r = await slice({ errorsOnly: true, maxLines: 1 });
    assert.deepEqual(r.lines, [3]);
    assert.equal(r.truncated, true);
  });

  it('defaults to 20 000 lines and caps maxLines at 200 000', async () => {
    const file = path.join(tmp, 'big-sfc.exe.log');
    const g = generateLog(file, 6_000_000, { blockEvery: 1_000_000 });
    const all = await sliceLog(decodeFile(file), { component: 'Event' });
    assert.equal(all.lines.length, 20_000);
    assert.equal(all.truncated, true);
    assert.equal(all.scannedLines, g.lines);
    const capped = await sliceLog(decodeFile(file), { component: 'Event', maxLines: 10_000_000 });
    // One line per Event entry, one separator where each seed block (but the last, at the end) was.
    assert.equal(capped.truncated, false);
    assert.equal(capped.lines.filter((l) => l >= 0).length, capped.matched);
    assert.equal(capped.lines.filter((l) => l === -1).length, g.blocks.length - 1);
    const short = '(1, +0 ms) Aug 04 07:30:20 [1]: A::a\n'.repeat(250_000);
    const huge = await sliceLog(short, { maxLines: 10_000_000 });
    assert.equal(huge.lines.length, 200_000);
    assert.equal(huge.truncated, true);
    assert.equal(huge.matched, 250_000);
    const original = readFileSync(file, 'utf8').split('\n');
    assertLineMap(capped, original);
    const errors = await sliceLog(decodeFile(file), { errorsOnly: true, context: 1 });
    assertLineMap(errors, original);
    assert.equal(errors.truncated, false);
    // Every seed block's error lines are in the slice, where the generator put them.
    for (const start of g.blocks) assert.ok(errors.lines.includes(start + 3), `block at ${start}`);
  });

  it('bounds the characters too (lines of 64 KiB)', async () => {
    const long = '(1, +0 ms) Aug 04 07:30:20 [1]: A::a ' + 'x'.repeat(65_000);
    const r = await sliceLog((long + '\n').repeat(400), {});
    assert.equal(r.truncated, true);
    assert.ok(r.text.length <= MAX_SLICE_CHARS);
    assert.ok(r.lines.length > 200 && r.lines.length < 400);
  });

  it('stops when cancelled', async () => {
    const token = { isCancellationRequested: true };
    await assert.rejects(sliceLog(TEXT.repeat(1000), {}, token), CancelledError);
  });
});
