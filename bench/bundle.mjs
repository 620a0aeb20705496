// A whole bundle analysed as one (analyzePath: logs stitched per version folder, local.xml,
// policy.xml, command outputs recognised by content, the cross-file rules): time and peak memory.
//   node scripts/build.mjs && node bench/bundle.mjs [totalMB=1024] [--zip]
// With --zip the same bundle is zipped (Info-ZIP `zip -1`, when installed) and analysed in place.
// Builds bench/generated/bundle-<N>MB/ (never committed) from the generated debug log: an older
// and a newer connector version folder with rotated logs (links to the same generated file, so
// the disk holds one copy), local.xml, policy.xml, and pasted outputs (curl -v, Resolve-DnsName,
// Get-TlsCipherSuite). Runs the analysis in a child process and samples its memory every 50 ms.
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLog, GENERATED_DIR } from './generate-log.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);

async function child(dir) {
  const require = createRequire(import.meta.url);
  const { analyzePath } = require(join(root, 'out', 'src', 'core', 'bundle', 'inputs.js'));
  const peak = { heapUsed: 0, external: 0, rss: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peak)) if (m[k] > peak[k]) peak[k] = m[k];
  };
  const timer = setInterval(sample, 50);
  const started = process.hrtime.bigint();
  const a = await analyzePath(dir);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(timer);
  sample();
  const findings = a.bundleFindings ?? a.findings;
  process.stdout.write(
    JSON.stringify({
      seconds,
      peak,
      files: a.files.length,
      logs: a.files.filter((f) => f.analysis).length,
      lines: a.files.reduce((n, f) => n + (f.analysis?.lines ?? 0), 0),
      timelines: a.logSets.map((s) => `${s.version ?? s.folder}: ${s.files.length} files`),
      outputs: (a.outputs ?? []).map((o) => o.id),
      findings: [...new Set(findings.map((f) => f.id))],
    }) + '\n',
  );
}

function build(totalMB) {
  const perLog = 200;
  const count = Math.max(1, Math.round(totalMB / perLog));
  const log = ensureLog(perLog, { quiet: true });
  const dir = join(GENERATED_DIR, `bundle-${totalMB}MB`);
  if (existsSync(join(dir, 'done'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const older = join(dir, 'Program Files', 'Cisco', 'AMP', '7.4.5.20701');
  const newer = join(dir, 'Program Files', 'Cisco', 'AMP', '8.1.7.21417');
  mkdirSync(older, { recursive: true });
  mkdirSync(newer, { recursive: true });
  for (let i = 0; i < count; i++) {
    const target = i === 0 ? join(older, 'sfc.exe.log') : join(newer, i === 1 ? 'sfc.exe.log' : `sfc.exe.log.${i - 1}`);
    linkSync(log, target);
  }
  writeFileSync(join(dir, 'Program Files', 'Cisco', 'AMP', 'local.xml'), '<config><agent><uuid>00000000-0000-4000-8000-000000000001</uuid></agent><tetra><lasterror>4294965193</lasterror></tetra></config>\n');
  writeFileSync(
    join(dir, 'Program Files', 'Cisco', 'AMP', 'policy.xml'),
    '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><Object><config><agent><log><level>549755813887</level></log><scansettings><tetra><enable>1</enable><updater><enable>1</enable><server>tetra-defs.amp.cisco.com</server></updater></tetra></scansettings></agent><conn><ssl><crlc>1</crlc></ssl></conn></config></Object></Signature>\n',
  );
  writeFileSync(
    join(dir, 'curl.txt'),
    '* schannel: next InitializeSecurityContext failed: Unknown error (0x80092013) - The revocation function was unable to check revocation because the revocation server was offline.\ncurl: (35) schannel: next InitializeSecurityContext failed: Unknown error (0x80092013) - The revocation function was unable to check revocation because the revocation server was offline.\n',
  );
  writeFileSync(join(dir, 'dns.txt'), 'Name                           Type   TTL   Section    IPAddress\n----                           ----   ---   -------    ---------\ntetra-defs.amp.cisco.com       A      60    Answer     3.227.208.28\n');
  writeFileSync(join(dir, 'done'), '');
  return dir;
}

async function parent() {
  const totalMB = Number(process.argv[2] && /^\d+$/.test(process.argv[2]) ? process.argv[2] : 1024);
  let dir = build(totalMB);
  if (process.argv.includes('--zip')) {
    const zip = `${dir}.zip`;
    if (!existsSync(zip)) {
      const r = spawnSync('zip', ['-q', '-r', '-1', zip, '.', '-x', 'done'], { cwd: dir, stdio: 'inherit' });
      if (r.status !== 0) throw new Error('zip (Info-ZIP) is needed for --zip');
    }
    console.log(`archive ${zip}: ${(statSync(zip).size / 1048576).toFixed(0)} MB compressed`);
    dir = zip;
  }
  let bytes = 0;
  const walk = (d) => {
    for (const e of spawnSync('find', [d, '-type', 'f', '!', '-name', 'done'], { encoding: 'utf8' }).stdout.trim().split('\n')) if (e) bytes += statSync(e).size;
  };
  walk(dir.endsWith('.zip') ? dir.slice(0, -4) : dir);
  console.log(`node ${process.version}; bundle ${dir}: ${(bytes / 1048576).toFixed(0)} MB uncompressed`);
  const r = spawnSync(process.execPath, [self, '--child', dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;
  console.log(`analysed in ${out.seconds.toFixed(2)} s (${(bytes / 1048576 / out.seconds).toFixed(0)} MB/s): ${out.files} files, ${out.logs} logs, ${out.lines.toLocaleString('en')} lines`);
  console.log(`peak memory: heap ${mb(out.peak.heapUsed)}, external ${mb(out.peak.external)}, RSS ${mb(out.peak.rss)}`);
  console.log(`timelines: ${out.timelines.join('; ')}`);
  console.log(`outputs recognised: ${out.outputs.join(', ') || 'none'}`);
  console.log(`finding ids: ${out.findings.join(', ')}`);
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else await parent();
