import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../src/cli/cli';
import { DIST, fixture } from '../support/paths';

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('bundle-lens decode', () => {
  it('prints every reading as JSON', async () => {
    const r = await run('decode', '0x80092013', '--json');
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out);
    assert.equal(j.input, '0x80092013');
    assert.equal(j.unsigned, 2148081683);
    assert.equal(j.signed, -2146885613);
    assert.equal(j.hex, '0x80092013');
    assert.deepEqual(j.hresult, { severity: 1, reserved: 0, customer: 0, ntstatus: 0, x: 0, facility: 9, code: 8211, facilityNames: ['FACILITY_SSPI', 'FACILITY_SECURITY'], meaningful: true });
    assert.equal(j.readings[0].family, 'win.hresult');
    assert.equal(j.readings[0].name, 'CRYPT_E_REVOCATION_OFFLINE');
    assert.equal(j.readings[0].confidence, 'exact');
    assert.match(j.readings[0].action, /CRL\/OCSP/);
  });

  it('decodes in text form with the meaning and next step', async () => {
    const r = await run('decode', '4294965193');
    assert.match(r.out, /-2103/);
    assert.match(r.out, /could not connect to the proxy/);
    assert.match(r.out, /Next step:/);
  });

  it('ranks by the words given with --context, and says when they name nothing', async () => {
    const j = JSON.parse((await run('decode', '4294965193', '--context', 'last err code -', '--json')).out);
    assert.equal(j.readings[0].family, 'se.tetra');
    assert.equal(j.readings[0].confidence, 'context');
    const cert = JSON.parse((await run('decode', '80092013', '--context', 'schannel: next InitializeSecurityContext failed: Unknown error (', '--json')).out);
    assert.equal(cert.hex, '0x80092013');
    assert.equal(cert.readings[0].name, 'CRYPT_E_REVOCATION_OFFLINE');
    assert.equal(cert.readings[0].confidence, 'context');
    const vague = await run('decode', '5', '--context', 'hello there', '--json');
    assert.match(vague.err, /names no family/);
    assert.equal(JSON.parse(vague.out).readings[0].name, 'ERROR_ACCESS_DENIED');
  });

  it('reads eight hex digits with a letter as hex, and values wider than 32 bits without readings', async () => {
    assert.equal(JSON.parse((await run('decode', '8009201a', '--json')).out).unsigned, 0x8009201a);
    const wide = JSON.parse((await run('decode', '549755813887', '--json')).out);
    assert.equal(wide.unsigned, null);
    assert.equal(wide.hex, '0x7FFFFFFFFF');
  });

  it('exits 2 with a clear message on bad usage', async () => {
    for (const args of [[], ['decode'], ['decode', 'banana'], ['decode', '12abc'], ['frobnicate'], ['decode', '1', '--bogus'], ['decode', '1', '--context']]) {
      const r = await run(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.ok(r.err.length > 0);
      assert.equal(r.out, '');
    }
  });
});

describe('bundle-lens diagnose', () => {
  it('reports the TETRA failure in a folder bundle and exits 1 for error-level findings', async () => {
    const r = await run('diagnose', fixture('proxy-bundle'), '--json');
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    const failed = j.findings[0];
    assert.equal(failed.id, 'tetra.update-failed');
    assert.equal(failed.severity, 'error');
    assert.match(failed.title, /-2103/);
    // Its own three log lines, then local.xml's lasterror (the same status, related across files).
    assert.deepEqual(
      failed.evidence.map((e: any) => [e.file, e.line]),
      [
        ['Cisco/AMP/8.1.7.21417/sfc.exe.log', 4],
        ['Cisco/AMP/8.1.7.21417/sfc.exe.log', 9],
        ['Cisco/AMP/8.1.7.21417/sfc.exe.log', 13],
        ['local.xml', 7],
      ],
    );
    assert.match(failed.evidence.at(-1).text, /4294965193/);
    assert.ok(j.findings.some((f: any) => f.id === 'tetra.proxy-connect'));
  });

  it('exits 0 when there is nothing wrong', async () => {
    const r = await run('diagnose', fixture('case-healthy'));
    assert.equal(r.code, 0);
    assert.equal(r.err, '');
  });

  it('exits 1 for a lone curl output that fails on revocation (recognised by content)', async () => {
    const r = await run('diagnose', fixture('text', 'curl-revocation.txt'), '--json');
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.out).findings[0].id, 'tls.revocation-offline');
  });

  it('exits 2 on a missing path or an archive, saying why', async () => {
    const missing = await run('diagnose', fixture('does-not-exist'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /does not exist/);
  });

  it('works as the built, executable dist/cli.js', () => {
    const r = spawnSync(process.execPath, [path.join(DIST, 'cli.js'), 'decode', '3240624137', '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).readings[0].kind, 'isolation.invalid-unlock-code');
  });
});

/** A fixture file's lines, UTF-16 (with BOM) or UTF-8, split as the core splits them. */
function fixtureLines(folder: string, file: string): string[] {
  const bytes = readFileSync(path.join(folder, ...file.split('/')));
  const text = bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8').replace(/^\uFEFF/, '');
  return text.split(/\r\n|\r|\n/);
}

/** The cases of issue 7 and the ids each must report (others may join them), with the verdicts of issue 8. */
const CASES: Record<string, { code: number; ids: string[]; tetra?: string; isolation?: string }> = {
  'case-ciphers': { code: 1, tetra: 'tls-cipher-mismatch', ids: ['tls.handshake-failure', 'tls.cipher-suites-missing'] },
  'case-dns-failed': { code: 1, tetra: 'dns', ids: ['dns.resolution-failed'] },
  'case-healthy': { code: 0, tetra: 'healthy', ids: [] },
  'case-isolation': { code: 1, isolation: 'unlock-locked-out', ids: ['isolation.active', 'isolation.invalid-unlock-code', 'isolation.unlock-limit-reached'] },
  'case-isolation-old': { code: 0, isolation: 'unsupported', ids: ['isolation.unsupported-connector', 'connector.forceupdate-unsupported'] },
  'case-lasterror': { code: 1, tetra: 'tls-cipher-mismatch', ids: ['tetra.update-failed', 'tetra.unknown-error', 'tls.cipher-suites-missing', 'log.debug-disabled'] },
  'case-mac-isolation': { code: 0, isolation: 'isolated', ids: ['isolation.active', 'isolation.unsupported-connector'] },
  'case-revocation': { code: 1, tetra: 'tls-revocation', ids: ['tls.revocation-offline', 'policy.crl-check'] },
  'case-schannel': { code: 0, tetra: 'unknown', ids: ['tls.handshake-failure'] },
  'case-stale': { code: 0, ids: ['tetra.definitions-stale', 'tetra.console-update-failed'] },
  'proxy-bundle': { code: 1, tetra: 'proxy-connect', ids: ['tetra.update-failed', 'tetra.proxy-connect'] },
};

describe('bundle-lens diagnose --json: the shape of issue 7', () => {
  const severities = ['error', 'warning', 'info'];
  for (const [name, expected] of Object.entries(CASES)) {
    it(`${name}: { bundle: { inventory }, findings: [{ id, severity, title, evidence, actions }] }, field by field`, async () => {
      const folder = fixture(name);
      const r = await run('diagnose', folder, '--json');
      assert.equal(r.code, expected.code, r.out);
      assert.equal(r.err, '', 'no progress or noise on a stderr that is not a terminal');
      const j = JSON.parse(r.out);
      assert.deepEqual(Object.keys(j), ['bundle', 'findings', 'tetra', 'isolation']);
      // The diagnoses (issue 8): a verdict of the playbook's list, every step with its status and evidence lines.
      for (const [key, verdicts] of [
        ['tetra', ['healthy', 'not-connected', 'dns', 'tls-revocation', 'tls-cipher-mismatch', 'proxy-connect', 'proxy-auth', 'proxy-download', 'network-timeout', 'unknown']],
        ['isolation', ['not-isolated', 'isolated', 'isolated-unlock-failing', 'unlock-locked-out', 'unsupported', 'unknown']],
      ] as const) {
        const d = j[key];
        assert.ok((verdicts as readonly string[]).includes(d.verdict), `${key}: ${d.verdict}`);
        assert.ok(d.steps.length >= 5, `${key}: ${d.steps.length} steps`);
        for (const step of d.steps) {
          assert.match(step.id, new RegExp(`^${key}\\.[a-z-]+$`));
          assert.ok(['pass', 'fail', 'unknown'].includes(step.status), `${step.id}: ${step.status}`);
          for (const e of step.evidence) {
            const lines = fixtureLines(folder, e.file);
            assert.ok(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines.length, `${step.id}: ${e.file}:${e.line}`);
          }
          if (step.status === 'unknown') assert.ok(step.settle?.how, `${step.id}: unknown without what would settle it`);
        }
        assert.ok(Array.isArray(d.actions) && d.actions.every((a: any) => typeof a.title === 'string'));
      }
      if (expected.tetra) assert.equal(j.tetra.verdict, expected.tetra, `${name}: TETRA verdict`);
      if (expected.isolation) assert.equal(j.isolation.verdict, expected.isolation, `${name}: isolation verdict`);
      assert.deepEqual(Object.keys(j.bundle), ['inventory']);
      assert.ok(Array.isArray(j.findings));
      for (const id of expected.ids) assert.ok(j.findings.some((f: any) => f.id === id), `${name}: ${id} in ${j.findings.map((f: any) => f.id)}`);
      const order = j.findings.map((f: any) => severities.indexOf(f.severity));
      assert.deepEqual(order, [...order].sort((a: number, b: number) => a - b), 'errors first, then warnings, then info');
      for (const f of j.findings) {
        assert.deepEqual(Object.keys(f), ['id', 'severity', 'title', 'evidence', 'actions'], f.id);
        assert.match(f.id, /^[a-z0-9-]+\.[a-z0-9.-]+$/);
        assert.ok(severities.includes(f.severity), `${f.id}: ${f.severity}`);
        assert.equal(typeof f.title, 'string');
        assert.ok(f.title.length > 0 && f.title.length <= 120 && !f.title.includes('\n') && f.title !== f.id, `${f.id}: title "${f.title}"`);
        assert.ok(Array.isArray(f.evidence));
        for (const e of f.evidence) {
          assert.deepEqual(Object.keys(e), ['file', 'line', 'text'], f.id);
          assert.ok(typeof e.file === 'string' && e.file.length > 0 && !path.isAbsolute(e.file) && !e.file.includes('\\'), `${f.id}: file ${e.file}`);
          assert.ok(Number.isInteger(e.line) && e.line >= 1, `${f.id}: line ${e.line}`);
          assert.equal(typeof e.text, 'string');
          const lines = fixtureLines(folder, e.file);
          assert.ok(e.line <= lines.length, `${f.id}: ${e.file} has no line ${e.line}`);
          // 1-based: the text is what that line says (secrets masked, long lines cut).
          const shown = e.text.replace(/…$/, '');
          if (shown && !shown.includes('•')) assert.ok(lines[e.line - 1]!.includes(shown.trim()), `${f.id}: ${e.file}:${e.line} "${lines[e.line - 1]}" vs "${e.text}"`);
        }
        assert.ok(Array.isArray(f.actions));
        for (const a of f.actions) assert.ok(typeof a === 'string' && a.length > 0, `${f.id}: action ${a}`);
      }
      const inv = j.bundle.inventory;
      for (const key of ['connectorVersions', 'logs', 'localXml', 'policyXml', 'registryExports', 'outputs', 'tetraUpdateServer', 'tetraVersions', 'missing']) assert.ok(key in inv, `${name}: inventory.${key}`);
      for (const o of inv.outputs) {
        assert.ok(Number.isInteger(o.line) && o.line >= 1 && o.line <= fixtureLines(folder, o.file).length, `${o.id} line ${o.line}`);
        assert.ok(o.name && o.name !== o.id, o.id);
      }
      for (const m of inv.missing) {
        assert.match(m.id, /^missing\./);
        assert.ok(m.text.length > 20 && !m.text.startsWith('Missing for this case'), m.id);
        assert.ok(m.how.length > 0, m.id);
        assert.ok(m.where === 'endpoint' || m.where === 'console', m.id);
      }
      // The verdicts are beside the findings, not in the inventory.
      assert.ok(!('tetra' in j.bundle) && !('isolation' in j.bundle));
    });
  }

  it('maps severity "information" to "info"', async () => {
    const r = await run('diagnose', fixture('case-isolation-old'), '--json');
    const j = JSON.parse(r.out);
    assert.equal(j.findings.find((f: any) => f.id === 'connector.forceupdate-unsupported').severity, 'info');
    assert.equal(j.findings.find((f: any) => f.id === 'isolation.unsupported-connector').severity, 'warning');
    assert.ok(!r.out.includes('"information"'));
  });

  it('the healthy case has no error or warning', async () => {
    const j = JSON.parse((await run('diagnose', fixture('case-healthy'), '--json')).out);
    assert.deepEqual(j.findings.filter((f: any) => f.severity === 'error' || f.severity === 'warning'), []);
    const inv = j.bundle.inventory;
    assert.equal(inv.platform, 'windows');
    assert.equal(inv.connectorVersions[0].version, '8.1.7.21417');
    assert.ok(inv.outputs.some((o: any) => o.id === 'curl.verbose'));
  });

  it('the inventory has 1-based lines: the update server line says "Update Server"', async () => {
    const folder = fixture('case-isolation');
    const inv = JSON.parse((await run('diagnose', folder, '--json')).out).bundle.inventory;
    assert.equal(inv.tetraUpdateServer.host, 'tetra-defs.amp.cisco.com');
    assert.equal(inv.tetraUpdateServer.via, 'console');
    assert.match(fixtureLines(folder, inv.tetraUpdateServer.file)[inv.tetraUpdateServer.line - 1]!, /^Update Server/);
    assert.match(fixtureLines(folder, 'console.txt')[inv.connectorVersions[0].sources[0].line - 1]!, /^Connector Version\t8\.1\.7\.21417/);
    assert.deepEqual(inv.registryExports, ['registry.reg']);
    assert.ok(inv.missing.some((m: any) => m.id === 'missing.policy-xml' && m.where === 'console' && m.how === 'Management > Policies'));
  });

  it('names the policy\'s CRL check next to the revocation failure it explains', async () => {
    const j = JSON.parse((await run('diagnose', fixture('case-revocation'), '--json')).out);
    const f = j.findings.find((x: any) => x.id === 'tls.revocation-offline');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.evidence.at(-1), { file: 'policy.xml', line: 35, text: '<crlc>1</crlc>' });
    assert.ok(f.actions.includes('curl.exe -v http://commercial.ocsp.identrust.com'));
    const md = (await run('diagnose', fixture('case-revocation'))).out;
    assert.match(md, /The policy turns CRL checking on/);
    assert.match(md, /Explained by policy\.xml line 35: the policy turns CRL checking on\./);
  });

  it('never shows an isolation unlock code, in JSON or in the report', async () => {
    const secret = 'k3vq9m';
    // The fixture holds it, in the console text and in the (UTF-16) registry export.
    assert.ok(fixtureLines(fixture('case-isolation'), 'console.txt').join('\n').includes(secret));
    assert.ok(fixtureLines(fixture('case-isolation'), 'registry.reg').join('\n').includes(secret));
    for (const format of [['--json'], ['--format', 'markdown'], []]) {
      const r = await run('diagnose', fixture('case-isolation'), ...format);
      assert.ok(r.out.length > 0);
      assert.ok(!r.out.toLowerCase().includes(secret), `unlock code in ${format.join(' ') || 'default'} output`);
      assert.ok(!r.err.toLowerCase().includes(secret));
    }
  });

  it('--format markdown is the default output; --format json is --json; another format is bad usage', async () => {
    const byDefault = await run('diagnose', fixture('case-lasterror'));
    const markdown = await run('diagnose', fixture('case-lasterror'), '--format', 'markdown');
    assert.equal(markdown.out, byDefault.out);
    assert.equal(markdown.code, byDefault.code);
    assert.match(markdown.out, /^# Bundle Lens/);
    assert.match(markdown.out, /## Inventory/);
    assert.match(markdown.out, /## Missing for this case/);
    assert.equal((await run('diagnose', fixture('case-lasterror'), '--format=json')).out, (await run('diagnose', fixture('case-lasterror'), '--json')).out);
    for (const args of [['--format', 'yaml'], ['--format']]) {
      const r = await run('diagnose', fixture('case-lasterror'), ...args);
      assert.equal(r.code, 2);
      assert.match(r.err, /--format/);
      assert.equal(r.out, '');
    }
  });

  it('shows a progress line only through io.progress (a terminal), and clears it', async () => {
    const calls: Array<string | undefined> = [];
    let out = '';
    let err = '';
    const code = await main(['diagnose', fixture('case-lasterror'), '--json'], { out: (s) => (out += s), err: (s) => (err += s), progress: (l) => calls.push(l) });
    assert.equal(code, 1);
    assert.equal(err, '');
    assert.ok(JSON.parse(out).findings.length > 0);
    assert.ok(calls.length >= 2);
    assert.match(calls[0]!, /^bundle-lens: reading/);
    assert.equal(calls.at(-1), undefined, 'cleared at the end');
    // A missing path: the line is cleared before the error is written.
    const calls2: Array<string | undefined> = [];
    const missing = await main(['diagnose', fixture('does-not-exist')], { out: () => {}, err: () => {}, progress: (l) => calls2.push(l) });
    assert.equal(missing, 2);
    assert.equal(calls2.at(-1), undefined);
  });
});
