import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeLogText, LogAnalyzer } from '../../src/core/log/analyze';
import { EntryAssembler, type LogEntry } from '../../src/core/log/entry';
import { splitLines } from '../../src/core/text/lines';
import { CancelledError } from '../../src/core/types';
import { fixture } from '../support/paths';

const seed001 = readFileSync(fixture('seed-001', 'sfc.exe.log'), 'utf8');
const proxyLog = readFileSync(fixture('proxy-bundle', 'Cisco', 'AMP', '8.1.7.21417', 'sfc.exe.log'), 'utf8');

function entries(text: string): LogEntry[] {
  const out: LogEntry[] = [];
  const a = new EntryAssembler((e) => out.push(e));
  for (const l of splitLines(text)) a.push(l);
  a.finish();
  return out;
}

describe('log entries', () => {
  it('parses the header fields of a seed line', () => {
    const [e] = entries('(978223515, +0 ms) Aug 04 07:30:23 [11944]: ERROR: TetraUpdateInterface::update Update failed with error -3000');
    assert.equal(e?.tick, 978223515);
    assert.equal(e?.month, 8);
    assert.equal(e?.day, 4);
    assert.equal(e?.seconds, 7 * 3600 + 30 * 60 + 23);
    assert.equal(e?.thread, 11944);
    assert.equal(e?.level, 'ERROR');
  });

  it('joins the continuation lines of seed 001 to their entry', () => {
    const es = entries(seed001);
    assert.equal(es.length, 12);
    assert.equal(es[1]?.message, 'ERROR: TetraUpdateInterface::update Update failed with error -3000');
    assert.equal(es[6]?.message, 'FASharedPtr<class TetraUpdateInterface>::ReleaseInstance count: 1');
  });

  it('accepts single-digit days padded with a space', () => {
    assert.equal(entries('(1, +0 ms) Jan  5 00:00:01 [7]: x')[0]?.day, 5);
  });
});

describe('tetra.update-failed', () => {
  it('reports seed 001 once, as status -3000 (tetra.unknown-error), at the status on its continuation line', () => {
    const a = analyzeLogText(seed001, { file: 'sfc.exe.log' });
    assert.equal(a.findings.length, 1);
    const f = a.findings[0]!;
    assert.equal(f.id, 'tetra.update-failed');
    assert.equal(f.kind, 'tetra.unknown-error');
    assert.equal(f.args['status'], -3000);
    assert.equal(f.args['count'], 1);
    // `PerformTetraUpdate: bUpdated = FALSE, state:` / `20, status: -3000`: the value is on line 12, columns 12-17.
    assert.deepEqual(f.range, { start: { line: 12, character: 12 }, end: { line: 12, character: 17 } });
    assert.equal(seed001.split('\n')[12]!.slice(12, 17), '-3000');
  });

  it('groups repeated failures by status with count, first and last time, and links each attempt', () => {
    const a = analyzeLogText(proxyLog, { file: 'sfc.exe.log' });
    assert.equal(a.findings.length, 1);
    const f = a.findings[0]!;
    assert.equal(f.kind, 'tetra.proxy-connect');
    assert.deepEqual(f.args, { status: -2103, count: 3, first: 'Dec 31 22:10:06', last: 'Jan 01 04:10:07' });
    assert.equal(f.evidence.length, 3);
    assert.equal(a.attempts.filter((x) => x.updated).length, 1);
    assert.equal(a.avstat[0]?.status, 4294965193);
  });

  it('falls back to the "Update failed with error" line when the result line is missing', () => {
    const log = '(5, +0 ms) Mar 02 10:00:00 [9]: ERROR: TetraUpdateInterface::update Update failed with error -2100\n';
    const a = analyzeLogText(log);
    assert.equal(a.findings[0]?.kind, 'tetra.proxy-auth');
  });

  it('gives the same result whatever the chunking', () => {
    const whole = analyzeLogText(proxyLog);
    const a = new LogAnalyzer();
    for (let i = 0; i < proxyLog.length; i += 7) a.push(proxyLog.slice(i, i + 7));
    assert.deepEqual(a.finish(), whole);
  });

  it('finds nothing in a log without TETRA failures, and survives garbage', () => {
    const garbage = '\u0000\u0001 not a log\n((( , +x ms)\n' + '\uFFFD'.repeat(1000);
    const a = analyzeLogText(garbage);
    assert.equal(a.findings.length, 0);
    assert.equal(a.orphanLines, 3);
  });

  it('stops when cancelled', () => {
    const token = { isCancellationRequested: true };
    const big = '(1, +0 ms) Jan 01 00:00:00 [1]: x\n'.repeat(5000);
    assert.throws(() => analyzeLogText(big, { token }), CancelledError);
  });
});
