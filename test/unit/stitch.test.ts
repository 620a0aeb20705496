import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzePath } from '../../src/core/bundle/inputs';
import { analyzeLogText } from '../../src/core/log/analyze';
import { compareVersions, rotationIndex, stitchLogs } from '../../src/core/log/stitch';
import { fixture } from '../support/paths';

const tmp = mkdtempSync(path.join(tmpdir(), 'bundle-lens-stitch-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the rotated fixture with file times as a bundle would carry them (each file's last write). */
function rotatedBundle(): string {
  const root = path.join(tmp, 'bundle');
  cpSync(fixture('rotated'), root, { recursive: true });
  const set = (rel: string, iso: string) => utimesSync(path.join(root, rel), new Date(iso), new Date(iso));
  set('Cisco/AMP/7.4.5.20701/sfc.exe.log.1', '2030-12-30T09:10:05Z');
  set('Cisco/AMP/7.4.5.20701/sfc.exe.log', '2031-01-02T13:10:05Z');
  set('Cisco/AMP/8.1.7.21417/sfc.exe.log', '2031-01-03T08:10:05Z');
  return root;
}

describe('rotation names', () => {
  it('orders the live log first, numbered rotations by number, .old/.bak last', () => {
    assert.deepEqual(
      ['sfc.exe.log', 'sfc.exe.log.1', 'sfc.exe.2.log', 'sfc.exe_3.log', 'sfc.exe.log.old'].map(rotationIndex),
      [0, 1, 2, 3, 1_000_000],
    );
  });

  it('compares dotted versions numerically', () => {
    assert.ok(compareVersions('8.1.7.21417', '7.4.5.20701') > 0);
    assert.ok(compareVersions('7.10.1', '7.9.9') > 0);
    assert.equal(compareVersions('6.3.1', '6.3.1'), 0);
  });
});

describe('stitching rotated logs, one timeline per version folder', () => {
  it('keeps version folders apart (newest version first) and orders each folder\'s files in time across Dec→Jan', async () => {
    const a = await analyzePath(rotatedBundle());
    assert.deepEqual(
      a.logSets.map((s) => [s.version, s.files.map((f) => path.posix.basename(f.file))]),
      [
        ['8.1.7.21417', ['sfc.exe.log']],
        ['7.4.5.20701', ['sfc.exe.log.1', 'sfc.exe.log']],
      ],
    );
    const old = a.logSets[1]!;
    assert.equal(old.firstIso, '2030-12-30T09:00:00');
    assert.equal(old.lastIso, '2031-01-02T13:10:00');
    assert.deepEqual(
      old.attempts.map((x) => [path.posix.basename(x.file), x.status, x.updated]),
      [
        ['sfc.exe.log.1', -2100, false],
        ['sfc.exe.log', -2100, false],
        ['sfc.exe.log', 0, true],
      ],
    );
  });

  it('merges the same failure across rotated files into one finding with the summed count and the whole span', async () => {
    const a = await analyzePath(rotatedBundle());
    const old = a.logSets[1]!;
    const f = old.findings.filter((x) => x.id === 'tetra.update-failed');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0]!.args, { status: -2100, count: 2, first: '2030-12-30 09:10:00', last: '2031-01-02 09:10:00' });
    assert.deepEqual(
      f[0]!.evidence.map((e) => e.file),
      ['Cisco/AMP/7.4.5.20701/sfc.exe.log.1', 'Cisco/AMP/7.4.5.20701/sfc.exe.log'],
    );
    // The newer version's -2103 stays in its own timeline.
    assert.deepEqual(
      a.logSets[0]!.findings.filter((x) => x.id === 'tetra.update-failed').map((x) => x.args['status']),
      [-2103],
    );
  });

  it('falls back to the rotation order when no year is known', () => {
    const newer = analyzeLogText('(1, +0 ms) Jan 02 00:00:00 [1]: PipeWrite: b\n');
    const older = analyzeLogText('(1, +0 ms) Dec 30 00:00:00 [1]: PipeWrite: a\n');
    const sets = stitchLogs([
      { file: 'logs/sfc.exe.log', analysis: newer },
      { file: 'logs/sfc.exe.log.2', analysis: older },
    ]);
    assert.deepEqual(
      sets[0]!.files.map((f) => f.file),
      ['logs/sfc.exe.log.2', 'logs/sfc.exe.log'],
    );
    assert.equal(sets[0]!.version, undefined);
  });

  it('marks a file whose span overlaps the previous one', () => {
    const ref = new Date('2031-01-10T00:00:00Z');
    const a = analyzeLogText('(1, +0 ms) Jan 05 10:00:00 [1]: PipeWrite: a\n(1, +0 ms) Jan 05 12:00:00 [1]: PipeWrite: a\n', { reference: ref });
    const b = analyzeLogText('(1, +0 ms) Jan 05 11:00:00 [1]: PipeWrite: b\n', { reference: ref });
    const sets = stitchLogs([
      { file: 'sfc.exe.log', analysis: b },
      { file: 'sfc.exe.log.1', analysis: a },
    ]);
    assert.deepEqual(
      sets[0]!.files.map((f) => [f.file, f.overlapsPrevious === true]),
      [
        ['sfc.exe.log.1', false],
        ['sfc.exe.log', true],
      ],
    );
  });
});
