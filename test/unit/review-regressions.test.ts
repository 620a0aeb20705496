/**
 * Regression tests for defects found in review, each with the input that showed it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readInContext } from '../../src/cli/cli';
import { decode, numberAt, scanNumbers } from '../../src/core/codes';
import { analyzeLogText } from '../../src/core/log/analyze';
import { isHeaderLine } from '../../src/core/log/entry';
import { sliceLog } from '../../src/core/log/slice';
import { stitchLogs } from '../../src/core/log/stitch';
import { analyzePath } from '../../src/core/bundle/inputs';
import { tetraVersionFromStatsJson } from '../../src/core/xml/local';
import { zipBytes } from '../support/make-archives';
import { analyzeXmlText } from '../../src/core/xml/rules';
import { codeSpan, diagnoseResult } from '../../src/shared/report';

describe('review regressions: number scanning', () => {
  it('finds bare hex that starts with a digit and contains a letter', () => {
    for (const line of ['error 800B0109', 'hr=800B0109', 'schannel: failed (800B0109)', 'error 8009201A']) {
      const t = scanNumbers(line).at(-1);
      assert.ok(t, line);
      assert.equal(t.bareHex, true, line);
      assert.equal(t.text.length, 8, line);
    }
    const found = numberAt('schannel: failed (800B0109)', 20)!;
    assert.equal(found.decoded.matches[0]?.names[0], 'CERT_E_UNTRUSTEDROOT');
  });

  it('does not let a generic "error code" take a known Windows code for an isolation error', () => {
    const a = numberAt('Download failed with error code 0x80072EE2', 35)!;
    assert.equal(a.decoded.matches[0]?.names[0], 'ERROR_WINHTTP_TIMEOUT');
    const b = numberAt('Error code: 0x800B0109', 15)!;
    assert.equal(b.decoded.matches[0]?.names[0], 'CERT_E_UNTRUSTEDROOT');
  });

  it('ranks a known reading above a context family that does not know the value', () => {
    const line = 'Certificate revocation check failed (0x80072EE2)';
    const d = numberAt(line, line.indexOf('0x') + 3)!.decoded;
    assert.equal(d.matches[0]?.names[0], 'ERROR_WINHTTP_TIMEOUT');
    const last = d.matches.at(-1)!;
    assert.equal(last.family, 'win.hresult');
    assert.equal(last.confidence, 'context');
  });

  it('never reads the tick of a header line as a certificate code', () => {
    for (const tick of ['978223515', '97822351']) {
      const line = `(${tick}, +0 ms) Aug 04 07:30:23 [11944]: schannel: revocation check failed`;
      const t = scanNumbers(line)[0]!;
      assert.equal(t.text, tick);
      assert.equal(t.hint, undefined);
      assert.equal(t.bareHex, undefined);
    }
  });

  it('reads the current wording of Schannel events 36887/36888 as a TLS alert', () => {
    const line = 'A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 46.';
    assert.equal(numberAt(line, line.indexOf('46') + 1)?.token.hint, 'tls-alert');
  });

  it('keeps the minus sign after a brace', () => {
    assert.equal(scanNumbers('{-3000}')[0]?.text, '-3000');
  });
});

describe('review regressions: decoding', () => {
  it('unwraps HRESULT_FROM_NT for error NTSTATUS values (R set)', () => {
    const d = decode('0xD0000022')!;
    assert.equal(d.matches[0]?.names[0], 'STATUS_ACCESS_DENIED');
    assert.equal(d.matches[0]?.via, 'hresult-from-nt');
    assert.equal(d.hresultShaped, true);
  });

  it('gives ordinary small numbers no Windows names in hover (counts, states, thread ids)', () => {
    for (const v of ['0', '1', '258', '260', '20']) assert.deepEqual(decode(v)!.matches, [], v);
    // …but the CLI's exhaustive decode still lists them, as err.exe does.
    assert.ok(decode('258', undefined, { exhaustive: true })!.matches.some((m) => m.names.includes('STATUS_TIMEOUT')));
  });

  it('reads a sign-extended 64-bit HRESULT as its 32 bits', () => {
    assert.equal(decode('0xFFFFFFFF80092013')!.matches[0]?.names[0], 'CRYPT_E_REVOCATION_OFFLINE');
  });

  it('does not invent FACILITY_INTERNET unwrapping', () => {
    assert.ok(!decode('0x800C2EE2')!.matches.some((m) => m.family === 'win.inet'));
  });
});

describe('review regressions: CLI context', () => {
  it('keeps 8-digit decimals decimal unless the context makes them hex', () => {
    assert.deepEqual(readInContext('16777343', 'NFMMemCache::Get: rip:'), { hint: 'ipv4-le', bareHex: false });
    assert.deepEqual(readInContext('12345678', 'tetra-status'), { hint: 'tetra-status', bareHex: false });
    assert.equal(readInContext('80092013', 'schannel: next InitializeSecurityContext failed: Unknown error (').bareHex, true);
  });

  it('reads only the end of a pasted megabyte of context', () => {
    assert.equal(readInContext('-3000', 'x'.repeat(1_000_000) + ' last err code -').hint, 'tetra-status');
  });
});

describe('review regressions: report', () => {
  it('keeps file names with pipes and backticks inside their code span and table row', () => {
    assert.equal(codeSpan('case|42 `notes`.txt'), '``case\\|42 `notes`.txt``');
    const md = diagnoseResult('x', {
      root: 'x',
      kind: 'folder',
      files: [{ file: 'a|b.log', kind: 'connector-log', analysis: { ...analyzeLogText(''), lines: 1, entries: 1 } }],
      findings: [],
      logSets: [],
      unreadable: [{ file: 'secret|dir', reason: 'EACCES' }],
    }).markdown;
    assert.match(md, /\| `a\\\|b\.log` \| 1 \|/);
    assert.match(md, /`secret\\\|dir` \(EACCES\)/);
  });
});

describe('issue 5 review: defects found and fixed', () => {
  const line = (tick: number, stamp: string, msg: string, thread = 1) => `(${tick}, +0 ms) ${stamp} [${thread}]: ${msg}\n`;

  it('a line written late across New Year goes back to its year; the next January line does not count a year twice', () => {
    const text =
      line(1, 'Dec 31 23:59:58', 'PipeWrite: a') + line(2, 'Jan 01 00:00:01', 'PipeWrite: b') + line(3, 'Dec 31 23:59:59', 'PipeWrite: c', 2) + line(4, 'Jan 01 00:00:02', 'PipeWrite: d');
    const a = analyzeLogText(text, { reference: new Date(Date.UTC(2023, 0, 2)) });
    assert.equal(a.firstIso, '2022-12-31T23:59:58');
    assert.equal(a.lastIso, '2023-01-01T00:00:02');
    assert.equal(a.gaps.length, 0);
    const janFirst = line(1, 'Jan 01 00:00:00', 'PipeWrite: a') + line(2, 'Dec 31 23:59:59', 'PipeWrite: late') + line(3, 'Jan 01 00:00:05', 'PipeWrite: b');
    assert.equal(analyzeLogText(janFirst, { reference: new Date(Date.UTC(2023, 0, 2)) }).lastIso, '2023-01-01T00:00:05');
  });

  it('the file time anchors the year with slack that carries across month and year ends', () => {
    const apr = analyzeLogText(line(1, 'Apr 01 01:30:00', 'PipeWrite: a'), { reference: new Date('2024-03-31T23:30:00Z') });
    assert.equal(apr.firstIso, '2024-04-01T01:30:00');
    const newYear = analyzeLogText(line(1, 'Jan 01 00:30:00', 'PipeWrite: a'), { reference: new Date('2023-12-31T23:30:00Z') });
    assert.equal(newYear.firstIso, '2024-01-01T00:30:00');
  });

  it('a "first failure" date the same day as its entry decides the year, whatever the file time (a copy made years later)', () => {
    const avstat = 'AVStat::CopyInternal : engine - 2, defs - 0, first failure - Thu Aug 4 06:35:16 2022, last err code - 4294964296, last upd success - never';
    const a = analyzeLogText(line(1, 'Aug 04 07:30:23', avstat), { reference: new Date('2026-11-22T12:00:00Z') });
    assert.equal(a.firstIso, '2022-08-04T07:30:23');
  });

  it('an old "first failure" date is a lower bound, not the year: the file time wins when it is later', () => {
    const avstat = 'AVStat::CopyInternal : engine - 2, defs - 0, first failure - Thu Aug 4 06:35:16 2022, last err code - 4294964296, last upd success - never';
    const a = analyzeLogText(line(1, 'Mar 10 08:00:00', avstat), { reference: new Date('2024-03-10T12:00:00Z') });
    assert.equal(a.firstIso, '2024-03-10T08:00:00');
    // With a file time that is too early (a copy's clock), the log's own date still bounds it.
    const b = analyzeLogText(line(1, 'Mar 10 08:00:00', avstat), { reference: new Date('2021-05-01T00:00:00Z') });
    assert.equal(b.firstIso, '2023-03-10T08:00:00');
  });

  it('wrapped lines with trailing blanks, indentation or tabs still give their TETRA findings; a number cut by the wrap gives none', () => {
    const variants = [
      '(1, +0 ms) Mar 02 10:00:00 [9]: ERROR: TetraUpdateInterface::update Update \nfailed with error -2103\n',
      '(1, +0 ms) Mar 02 10:00:00 [9]: ERROR: TetraUpdateInterface::update Update\n    failed with error -2103\n',
      '(1, +0 ms) Mar 02 10:00:00 [9]: PerformTetraUpdate: bUpdated = FALSE, state: \n\t20, status: -2103\n',
      '(1, +0 ms) Mar 02 10:00:00 [9]: ERROR: TetraUpdateInterface::update\tUpdate failed with error -2103\n',
    ];
    for (const v of variants) {
      const f = analyzeLogText(v).findings.find((x) => x.id === 'tetra.update-failed');
      assert.equal(f?.args['status'], -2103, JSON.stringify(v));
      const [l, from, to] = [f!.range.start.line, f!.range.start.character, f!.range.end.character];
      assert.equal(v.split('\n')[l]!.slice(from, to), '-2103', JSON.stringify(v));
    }
    const cut = '(1, +0 ms) Mar 02 10:00:00 [9]: PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -21\n03\n';
    assert.ok(!analyzeLogText(cut).findings.some((x) => x.id === 'tetra.update-failed' && x.args['status'] === -21));
  });

  it('a slice window into the next January of a log longer than six months', async () => {
    const text = line(1, 'Jun 20 10:00:00', 'A::a start') + line(2, 'Dec 31 10:00:00', 'A::a dec') + line(3, 'Jan 10 12:00:00', 'ERROR: A::a jan') + line(4, 'Mar 01 10:00:00', 'A::a end');
    const r = await sliceLog(text, { from: 'Jan 10 00:00:00', to: 'Jan 11 00:00:00' });
    assert.deepEqual(r.lines, [2]);
    const before = await sliceLog(text, { from: 'Jun 01 00:00:00', to: 'Jun 30 00:00:00' });
    assert.deepEqual(before.lines, [0]);
  });

  it('the stitched timeline drops a state a newer rotated file contradicts (isolation started, then stopped)', () => {
    const older = analyzeLogText(line(1, 'Jan 05 10:00:00', 'imn::CEventManager::PublishEvent: publishing type=553648202'), { reference: new Date('2030-01-05T12:00:00Z') });
    const newer = analyzeLogText(line(1, 'Jan 06 10:00:00', 'imn::CEventManager::PublishEvent: publishing type=553648204'), { reference: new Date('2030-01-06T12:00:00Z') });
    assert.ok(older.findings.some((f) => f.id === 'isolation.active'));
    const [set] = stitchLogs([
      { file: 'sfc.exe.log.1', analysis: older },
      { file: 'sfc.exe.log', analysis: newer },
    ]);
    assert.ok(!set!.findings.some((f) => f.id === 'isolation.active'));
  });

  it('one status written two ways is one finding; a value beyond 32 bits gets no classification', () => {
    const text =
      line(1, 'Mar 02 10:00:00', 'PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -2103') +
      line(2, 'Mar 02 10:00:00', 'PerformTetraUpdate: sig count: 0, version: 0') +
      line(3, 'Mar 02 14:00:00', 'ERROR: TetraUpdateInterface::update Update failed with error 4294965193');
    const failed = analyzeLogText(text).findings.filter((f) => f.id === 'tetra.update-failed');
    assert.deepEqual(
      failed.map((f) => [f.args['status'], f.args['count'], f.kind]),
      [[-2103, 2, 'tetra.proxy-connect']],
    );
    const huge = analyzeLogText(line(1, 'Mar 02 10:00:00', 'PerformTetraUpdate: bUpdated = FALSE, state: 20, status: 8589931592')).findings.find((f) => f.id === 'tetra.update-failed');
    assert.equal(huge?.kind, undefined);
  });

  it('hour blocks never cut an update attempt, and a late line stays in its block', () => {
    const text =
      line(1, 'Aug 04 07:59:58', 'TetraUpdateInterface::update updateDir: C:\\x, 20, -3000, -3000, 0, 0, 0') +
      line(2, 'Aug 04 07:59:59', 'ERROR: TetraUpdateInterface::update Update failed with error -3000') +
      line(3, 'Aug 04 08:00:00', 'PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -3000') +
      line(4, 'Aug 04 08:00:01', 'PerformTetraUpdate: sig count: 0, version: 0') +
      line(5, 'Aug 04 08:00:02', 'PipeWrite: after') +
      line(6, 'Aug 04 07:59:59', 'PipeWrite: late', 2) +
      line(7, 'Aug 04 08:00:03', 'PipeWrite: after');
    const a = analyzeLogText(text);
    assert.deepEqual(
      a.blocks.map((b) => [b.startLine, b.endLine]),
      [
        [0, 3],
        [4, 6],
      ],
    );
    assert.deepEqual([a.attempts[0]!.startLine, a.attempts[0]!.endLine], [0, 3]);
  });

  it('leap day: Feb 29 → Mar 01 is not a gap of a day', () => {
    const a = analyzeLogText(line(1, 'Feb 29 23:50:00', 'PipeWrite: a') + line(2, 'Mar 01 00:10:00', 'PipeWrite: b') + line(3, 'Mar 01 09:10:00', 'PipeWrite: c'));
    assert.deepEqual(
      a.gaps.map((g) => [g.line, g.seconds]),
      [[2, 9 * 3600]],
    );
  });

  it('the header expression names real months only, like the parser', () => {
    assert.equal(isHeaderLine('(1, +0 ms) Xyz 04 07:30:23 [1]: x'), false);
    assert.equal(isHeaderLine('(1, +0 ms) Aug 04 07:30:23 [1]: x'), true);
  });

  it('counting without a listener agrees with matching: another Event:: line is no file event', () => {
    const text = line(1, 'Mar 10 08:00:00', 'Event::HandleTermination: x') + line(2, 'Mar 10 08:00:00', 'Event::HandleCreation: START a(a), b') + line(3, 'Mar 10 08:00:00', 'Cache::Set: y');
    const quiet = analyzeLogText(text).eventCounts;
    const listened = analyzeLogText(text, { onEvent: () => undefined }).eventCounts;
    assert.deepEqual(quiet, { 'file.event': 1 });
    assert.deepEqual(listened, quiet);
  });
});

describe('issue 6 review: defects found and fixed', () => {
  it('a value cut by the end of the file is no value: no finding from it', () => {
    assert.deepEqual(analyzeXmlText('<config><agent><uuid>a</uuid></agent><tetra><lasterror>429496', 'local.xml').findings.map((f) => f.id), []);
    const policy = '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><Object><config><agent><log><level>5497';
    assert.ok(!analyzeXmlText(policy, 'policy.xml').findings.some((f) => f.id === 'log.debug-disabled'));
  });

  it('a lone engine entry that names another engine is not the TETRA version', () => {
    assert.equal(tetraVersionFromStatsJson('{"engineDefinitions":[{"defVersion":"1:27001","engine":"clamav"}]}'), undefined);
    assert.equal(tetraVersionFromStatsJson('{"engineDefinitions":[{"defVersion":"4:90611"}]}'), 90611);
  });

  it('the debug log level written in hex is debug', () => {
    const policy = '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><Object><config><agent><log><level>0x7FFFFFFFFF</level></log></agent></config></Object></Signature>';
    const r = analyzeXmlText(policy, 'policy.xml');
    assert.equal(r.model?.kind === 'policy.xml' ? r.model.agentLogLevel?.value : undefined, 549755813887);
    assert.ok(!r.findings.some((f) => f.id === 'log.debug-disabled'));
  });

  it("a bundle's local.xml suggests checking the policy's own update server", async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-review6-'));
    writeFileSync(path.join(dir, 'local.xml'), '<config><agent><uuid>a</uuid></agent><tetra><lasterror>4294965193</lasterror></tetra></config>');
    writeFileSync(
      path.join(dir, 'policy.xml'),
      '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><Object><config><agent><scansettings><tetra><enable>1</enable><updater><enable>1</enable><server>tetra-defs.eu.amp.cisco.com</server></updater></tetra></scansettings></agent></config></Object></Signature>',
    );
    const r = await analyzePath(dir);
    const f = r.findings.find((x) => x.id === 'tetra.proxy-connect')!;
    assert.ok(f.actions?.some((a) => a.command.includes('tetra-defs.eu.amp.cisco.com')), JSON.stringify(f.actions));
  });

  it('an XML file that is neither local.xml nor policy.xml is classified from its first bytes, not parsed', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-review6-'));
    writeFileSync(path.join(dir, 'events.xml'), '<Events>' + '<Event><System><EventID>36887</EventID></System></Event>'.repeat(20000) + '</Events>');
    const r = await analyzePath(dir);
    assert.equal(r.files.find((f) => f.file === 'events.xml')?.xml, undefined);
  });
});

describe('issue 7 review: defects found and fixed', () => {
  const caseFolder = async (files: Record<string, string | Buffer>) => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-review7-'));
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    return dir;
  };

  it('an unlock code after "Unlock  Code", a tab, a hyphen or a no-break space is masked', async () => {
    for (const label of ['Unlock  Code: fwq8qw', 'Unlock\tCode\tfwq8qw', 'Unlock-Code: fwq8qw', 'Unlock\u00A0Code: fwq8qw']) {
      const dir = await caseFolder({ 'console.txt': `Isolated\t2021-09-28 21:33:48 CDT\tBrenda M\t${label}\n` });
      const r = await analyzePath(dir);
      const dump = JSON.stringify([r.bundleFindings, r.inventory, r.outputs]);
      assert.ok(!dump.includes('fwq8qw'), `${JSON.stringify(label)}: ${dump.slice(Math.max(0, dump.indexOf('fwq8qw') - 80), dump.indexOf('fwq8qw') + 20)}`);
    }
  });

  it('user:password@host without a scheme is masked in a curl resolution failure', async () => {
    const dir = await caseFolder({ 'curl.txt': '* Could not resolve host: admin:S3cretPass@tetra-defs.amp.cisco.com\ncurl: (6) Could not resolve host: admin:S3cretPass@tetra-defs.amp.cisco.com\n' });
    const r = await analyzePath(dir);
    assert.ok(!/S3cretPass/i.test(JSON.stringify([r.bundleFindings, r.outputs])));
  });

  it("curl's target is the URL, not the proxy given with -x", async () => {
    const dir = await caseFolder({
      'curl.txt': 'PS C:\\> curl.exe -v -x http://proxy.corp:8080 https://tetra-defs.amp.cisco.com\n* Failed to connect to proxy.corp port 8080 after 21 ms: Connection refused\ncurl: (7) Failed to connect to proxy.corp port 8080 after 21 ms: Connection refused\n',
    });
    const r = await analyzePath(dir);
    const curl = r.outputs?.find((o) => o.id === 'curl.verbose');
    assert.equal((curl?.data as { host?: string }).host, 'tetra-defs.amp.cisco.com');
  });

  it('one line is cited once as evidence', async () => {
    const line = 'curl: (35) schannel: next InitializeSecurityContext failed: Unknown error (0x80092013) - The revocation function was unable to check revocation because the revocation server was offline.\n';
    const dir = await caseFolder({ 'notes.txt': line });
    const r = await analyzePath(dir);
    const f = r.bundleFindings?.find((x) => x.id === 'tls.revocation-offline');
    const lines = f?.evidence.map((e) => `${e.file}:${e.range.start.line}`) ?? [];
    assert.equal(new Set(lines).size, lines.length, lines.join(', '));
  });

  it('an archive inside a case folder joins the analysis: its pasted curl output is found under its name', async () => {
    const curl = 'curl: (35) schannel: next InitializeSecurityContext failed: Unknown error (0x80092013) - The revocation function was unable to check revocation because the revocation server was offline.\n';
    const dir = await caseFolder({ 'bundle.zip': zipBytes([{ name: 'diag/curl.txt', data: Buffer.from(curl) }]), 'err.txt': 'x\n' });
    const r = await analyzePath(dir);
    const f = r.bundleFindings?.find((x) => x.id === 'tls.revocation-offline');
    assert.equal(f?.evidence[0]?.file, 'bundle.zip/diag/curl.txt', JSON.stringify(r.unreadable));
  });

  it('nesting is bounded: an archive two levels down is named as not analysed', async () => {
    const inner = zipBytes([{ name: 'a.txt', data: Buffer.from('x\n') }]);
    const middle = zipBytes([{ name: 'inner.zip', data: inner }]);
    const dir = await caseFolder({ 'outer.zip': zipBytes([{ name: 'middle.zip', data: middle }]) });
    const r = await analyzePath(dir);
    assert.ok(r.unreadable.some((u) => u.file === 'outer.zip/middle.zip/inner.zip' && /deeper than/.test(u.reason)), JSON.stringify(r.unreadable));
  });
});
