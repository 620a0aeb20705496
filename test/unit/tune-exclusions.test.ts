import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tunePath } from '../../src/core/tune';
import { compileExclusion, ExclusionMatcher, isMatchableShape } from '../../src/core/tune/exclusions';
import { EXCLUSION_TYPE_CODES, readPolicyXml, sha256Label } from '../../src/core/xml/policy';
import { readXml as parseXml } from '../../src/core/xml/read';
import { generateTuneLogs, type ProcessSpec } from '../support/generate-tune-log';

// The info item type codes (field 1) come from a public script (GitHub
// johnosn/amp-05-policy-exclusion-stats): 1 threat, 2 path, 3 extension, 4 file name, 5 process,
// 6 wildcard. The BRIEF (§2.4) does not say; these tests pin the decoding to that table.

const POLICY = (items: { info?: string[]; process?: string[] }) =>
  `<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><Object><config><agent><log><level>549755813887</level></log></agent><exclusions><info>${(items.info ?? [])
    .map((i) => `<item>${i}</item>`)
    .join('')}</info><process>${(items.process ?? []).map((i) => `<item>${i}</item>`).join('')}</process></exclusions></config></Object></Signature>`;

const HASH = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

const exclusionsOf = (items: { info?: string[]; process?: string[] }) => readPolicyXml(parseXml(POLICY(items))).exclusions;

/** The path exclusions matching a file, as the aggregation calls the matcher. */
function files(m: ExclusionMatcher, p: string): number[] {
  const out: number[] = [];
  const lower = p.toLowerCase();
  const dot = lower.lastIndexOf('.');
  m.matchFile(lower, dot > lower.lastIndexOf('\\') ? lower.slice(dot + 1) : '', out);
  return out;
}

describe('policy.xml exclusions: decoded by their type code', () => {
  it('reads the type table of the public script', () => {
    assert.deepEqual([...EXCLUSION_TYPE_CODES], [
      [1, 'threat'],
      [2, 'path'],
      [3, 'extension'],
      [4, 'file-name'],
      [5, 'process'],
      [6, 'wildcard'],
    ]);
  });

  it('each kind: threat, path, extension, file name, process, wildcard, SHA-256', () => {
    const xs = exclusionsOf({
      info: ['1|1|0|0|Eicar', '1|2|0|0|C:\\data\\', '1|3|0|0|log', '1|4|0|0|setup.log', '1|5|0|0|C:\\Tools\\agent.exe', '1|6|0|0|*\\AppData\\Local\\Temp\\*.tmp'],
      process: [`1|0|${HASH}||0|`, '1|0||C:\\app\\APP.EXE|0|'],
    });
    assert.deepEqual(
      xs.map((x) => [x.kind, x.type, x.typeCode, x.value]),
      [
        ['path', 'threat', 1, 'Eicar'],
        ['path', 'path', 2, 'C:\\data\\'],
        ['path', 'extension', 3, 'log'],
        ['path', 'file-name', 4, 'setup.log'],
        ['path', 'process', 5, 'C:\\Tools\\agent.exe'],
        ['path', 'wildcard', 6, '*\\AppData\\Local\\Temp\\*.tmp'],
        ['process', 'sha256', undefined, 'SHA-256 275a021bbfb6\u2026'],
        ['process', 'process', undefined, 'C:\\app\\APP.EXE'],
      ],
    );
    assert.equal(xs[6]!.sha256, HASH);
    assert.equal(xs[6]!.mask, 0);
    assert.equal(xs[6]!.wildcardLeading, false);
    assert.deepEqual(
      xs.map((x, i) => compileExclusion(x, i).shape),
      ['threat', 'folder', 'extension', 'file-name', 'process', 'pattern', 'process-sha256', 'process'],
    );
  });

  it('a threat exclusion is never matched against files, not even as an extension', () => {
    const xs = exclusionsOf({ info: ['1|1|0|0|Eicar', '1|1|0|0|W32.Eicar', '1|1|0|0|*Trojan*'] });
    assert.equal(xs[2]!.wildcardLeading, false); // a threat name is no path wildcard
    const m = new ExclusionMatcher(xs);
    assert.deepEqual(m.compiled.map((c) => c.shape), ['threat', 'threat', 'threat']);
    assert.equal(m.hasPathExclusions, false);
    assert.deepEqual(files(m, 'C:\\x\\test.eicar'), []);
    assert.deepEqual(files(m, 'C:\\Eicar'), []);
    assert.deepEqual(m.matchProcess('c:\\eicar').indices, []);
    assert.equal(isMatchableShape('threat'), false);
  });

  it('a file-name exclusion matches the base name, in any folder, case-insensitively', () => {
    const m = new ExclusionMatcher(exclusionsOf({ info: ['1|4|0|0|setup.log', '1|4|0|0|Main3.MDF', '1|4|0|0|report-?.txt'] }));
    assert.deepEqual(m.compiled.map((c) => c.shape), ['file-name', 'file-name', 'file-name']);
    assert.equal(m.hasPathExclusions, true);
    assert.deepEqual(files(m, 'C:\\Windows\\Temp\\SETUP.LOG'), [0]);
    assert.deepEqual(files(m, 'D:\\setup.log'), [0]);
    assert.deepEqual(files(m, 'C:\\setup.log.bak'), []);
    assert.deepEqual(files(m, 'C:\\x\\mysetup.log'), []);
    assert.deepEqual(files(m, 'C:\\setup.log\\inner.txt'), []); // a folder of that name is not the file
    assert.deepEqual(files(m, 'D:\\SQL\\main3.mdf'), [1]);
    assert.deepEqual(files(m, 'D:\\r\\report-7.txt'), [2]);
    assert.deepEqual(files(m, 'D:\\r\\report-77.txt'), []);
    assert.equal(isMatchableShape('file-name'), true);
  });

  it('a SHA-256 process exclusion is not matchable and shows the first 12 hex digits', () => {
    const xs = exclusionsOf({ process: [`1|0|${HASH.toUpperCase()}||0|`] });
    assert.equal(xs[0]!.type, 'sha256');
    assert.equal(xs[0]!.value, 'SHA-256 275a021bbfb6\u2026');
    assert.equal(sha256Label(HASH), 'SHA-256 275a021bbfb6\u2026');
    const m = new ExclusionMatcher(xs);
    assert.equal(m.compiled[0]!.shape, 'process-sha256');
    assert.deepEqual(m.matchProcess('c:\\app\\app.exe').indices, []);
    assert.deepEqual(m.matchProcess('').indices, []);
    assert.equal(isMatchableShape('process-sha256'), false);
  });

  it('a process exclusion with both a hash and a path is matched by its path', () => {
    const xs = exclusionsOf({ process: [`1|0|${HASH}|C:\\app\\app.exe|0|`] });
    assert.equal(xs[0]!.type, 'process');
    assert.equal(xs[0]!.value, 'C:\\app\\app.exe');
    assert.equal(xs[0]!.sha256, HASH);
    assert.deepEqual(new ExclusionMatcher(xs).matchProcess('c:\\app\\app.exe'), { indices: [0], fileScan: true });
  });

  it('an info item of type 5 is matched as a process; an extension item accepts .log and *.log', () => {
    const m = new ExclusionMatcher(exclusionsOf({ info: ['1|5|0|0|C:\\Tools\\agent.exe', '1|5|0|0|helper.exe', '1|3|0|0|.bak', '1|3|0|0|*.tmp', '1|3|0|0|.*\\.old'] }));
    assert.deepEqual(m.compiled.map((c) => c.shape), ['process', 'process-name', 'extension', 'extension', 'extension']);
    assert.deepEqual(m.matchProcess('c:\\tools\\agent.exe'), { indices: [0], fileScan: true });
    assert.deepEqual(m.matchProcess('d:\\x\\helper.exe'), { indices: [1], fileScan: true });
    assert.deepEqual(files(m, 'C:\\Tools\\agent.exe'), []); // a process, not a file
    assert.deepEqual(files(m, 'D:\\a.BAK'), [2]);
    assert.deepEqual(files(m, 'D:\\a.tmp'), [3]);
    assert.deepEqual(files(m, 'D:\\a.old'), [4]);
  });

  it('a path item with no folder is not taken for an extension; an unknown code is not evaluated', () => {
    const m = new ExclusionMatcher(exclusionsOf({ info: ['1|2|0|0|log', '1|9|0|0|Win.Trojan.Agent', '1|9|0|0|log'] }));
    assert.deepEqual(m.compiled.map((c) => c.shape), ['path', 'not-evaluated', 'not-evaluated']);
    assert.deepEqual(files(m, 'C:\\x\\a.log'), []);
  });

  it('items without a type field keep the old reading (no folder: an extension)', () => {
    const m = new ExclusionMatcher(exclusionsOf({ info: ['log', 'C:\\data\\'] }));
    assert.deepEqual(m.compiled.map((c) => c.shape), ['extension', 'folder']);
  });

  it('keeps a | inside a value and skips a trailing empty field', () => {
    const xs = exclusionsOf({ info: ['1|6|0|0|.*\\.bak|', '1|6|0|0|C:\\a|b\\*'] });
    assert.equal(xs[0]!.value, '.*\\.bak');
    assert.equal(xs[1]!.value, 'C:\\a|b\\*');
  });

  it('nothing is ever shown empty: an item with no value shows as written and is not evaluated', () => {
    const xs = exclusionsOf({
      info: ['1|1|0|0|', '1|2|0|0|', '1|4|0|0| ', '|'],
      process: ['1|0|||0|', `1|0|${HASH}||0|`, '1|0|not-a-hash||4|'],
    });
    assert.equal(xs.length, 7);
    for (const x of xs) assert.ok(x.value.trim().length > 0, JSON.stringify(x.raw));
    const m = new ExclusionMatcher(xs);
    for (const [i, x] of xs.entries()) {
      if (x.type === 'sha256') continue;
      assert.equal(x.valueMissing, true, x.raw);
      assert.ok(!isMatchableShape(m.compiled[i]!.shape), x.raw);
      assert.ok(m.compiled[i]!.shape !== 'threat', x.raw);
    }
    assert.equal(xs[4]!.value, '1|0|||0|');
    assert.equal(m.hasPathExclusions, false);
  });
});

describe('tune: threat, file-name and SHA-256 exclusions against a generated log', () => {
  it('counts a file-name exclusion, never a threat or a hash one, and shows every value', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tune-exclusions-'));
    const amp = path.join(dir, 'Cisco', 'AMP');
    const processes: ProcessSpec[] = [
      { process: 'C:\\Program Files\\Example\\setup.exe', files: ['C:\\Windows\\Temp\\setup.log', 'C:\\Windows\\Temp\\other.txt'], events: 400 },
      { process: 'C:\\Program Files\\Example\\eicar.exe', files: ['C:\\x\\test.eicar', 'C:\\x\\Eicar'], events: 200 },
    ];
    const g = generateTuneLogs([path.join(amp, '8.1.7.21417', 'sfc.exe.log')], { processes, start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)) });
    mkdirSync(amp, { recursive: true });
    writeFileSync(path.join(amp, 'policy.xml'), POLICY({ info: ['1|1|0|0|Eicar', '1|4|0|0|setup.log'], process: [`1|0|${HASH}||0|`] }));
    const r = await tunePath(dir, { top: 20 });
    assert.equal(r.policy.status, 'read');
    assert.deepEqual(
      r.policy.exclusions.map((x) => [x.shape, x.value]),
      [
        ['threat', 'Eicar'],
        ['file-name', 'setup.log'],
        ['process-sha256', 'SHA-256 275a021bbfb6\u2026'],
      ],
    );
    for (const x of r.policy.exclusions) assert.ok(x.value.trim().length > 0);
    const set = r.sets[0]!;
    const usage = set.exclusionUsage!;
    assert.equal(usage[0]?.events ?? 0, 0);
    assert.equal(usage[1]!.events, g.events.filter((e) => e.file.toLowerCase().endsWith('\\setup.log')).length);
    assert.ok(usage[1]!.events > 0);
    assert.equal(usage[2]?.events ?? 0, 0);
    // The ones that cannot match are not "never matched": the renderer can tell them apart.
    const neverMatched = r.policy.exclusions.filter((x, i) => isMatchableShape(x.shape) && (usage[i]?.events ?? 0) === 0);
    assert.deepEqual(neverMatched, []);
  });
});
