// A whole bundle analysed as one (analyzePath: logs stitched per version folder, local.xml,
// policy.xml, command outputs recognised by content, the cross-file rules): time and peak memory.
//   node scripts/build.mjs && node bench/bundle.mjs [totalMB=1024] [--zip | --7z [--small=800]] [--out=DIR]
// With --zip the same bundle is zipped (Info-ZIP `zip -1`, when installed) and analysed in place.
// With --7z the bundle plus --small small text files (diag/events/NNNN.txt, a few KB each) is put
// in a real 7z (7-Zip's `7zz`, Debian's 7zip package; skipped with a message when missing) and
// analysed in place. A 7z is read in memory: the archive up to maxBufferedArchiveSize (512 MiB,
// 7-Zip makes ~1 GB of these logs far smaller), each entry up to maxBufferedEntrySize (256 MiB: the
// logs are at most 200 MB each), and in one pass when all of it is within maxOnePassSize (192 MiB;
// e.g. `node bench/bundle.mjs 20 --7z`), else one extraction per entry (the 1 GB bundle).
// --out=DIR loads the compiled sources from DIR (default out/, what scripts/build.mjs writes).
// Builds bench/generated/bundle-<N>MB/ (never committed) from the generated debug log: an older
// and a newer connector version folder with rotated logs (links to the same generated file, so
// the disk holds one copy), local.xml, policy.xml, and pasted outputs (curl -v, Resolve-DnsName,
// Get-TlsCipherSuite). Runs the analysis in a child process and samples its memory every 50 ms.
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLog, GENERATED_DIR } from './generate-log.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);

const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

async function child(dir) {
  const require = createRequire(import.meta.url);
  const out = resolve(option('out') ?? join(root, 'out'));
  const { analyzePath } = require(join(out, 'src', 'core', 'bundle', 'inputs.js'));
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
  // Logs of 200 MB each; a bundle under 200 MB has one log of its size.
  const perLog = Math.max(1, Math.min(200, totalMB));
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

/** The bundle's folder again (the logs linked, not copied) with `small` small text files: the 7z's content. */
function buildWithSmallFiles(dir, small) {
  const to = `${dir}-small${small}`;
  if (existsSync(join(to, 'done'))) return to;
  rmSync(to, { recursive: true, force: true });
  const copy = (from, into) => {
    mkdirSync(into, { recursive: true });
    for (const e of readdirSync(from, { withFileTypes: true })) {
      if (e.name === 'done') continue;
      if (e.isDirectory()) copy(join(from, e.name), join(into, e.name));
      else linkSync(join(from, e.name), join(into, e.name));
    }
  };
  copy(dir, to);
  const events = join(to, 'diag', 'events');
  mkdirSync(events, { recursive: true });
  let seed = 0x7e57;
  const rnd = (n) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let i = 0; i < small; i++) {
    const lines = [`Event ${i}`, 'Source: Microsoft-Windows-Security-Auditing'];
    for (let k = 0, n = 10 + rnd(60); k < n; k++) lines.push(`2024-03-04T10:${String(rnd(60)).padStart(2, '0')}:${String(rnd(60)).padStart(2, '0')} id=${rnd(65536)} status=0x${rnd(2 ** 31).toString(16)} ${'ok'.repeat(rnd(8))}`);
    writeFileSync(join(events, `${String(i).padStart(4, '0')}.txt`), lines.join('\r\n') + '\r\n');
  }
  writeFileSync(join(to, 'done'), '');
  return to;
}

/** A real 7z of the folder (7-Zip's default solid LZMA2, fastest level), or undefined when 7zz is missing. */
function build7z(dir) {
  const archive = `${dir}.7z`;
  if (existsSync(archive)) return archive;
  const probe = spawnSync('7zz', ['i'], { stdio: 'ignore' });
  if (probe.error) return undefined;
  const tmp = `${archive}.tmp`;
  rmSync(tmp, { force: true });
  const started = Date.now();
  const r = spawnSync('7zz', ['a', '-t7z', '-mx=1', '-bd', '-bso0', '-bsp0', tmp, '.', '-x!done'], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`7zz failed (${r.status ?? r.error?.message})`);
  renameSync(tmp, archive);
  console.log(`built ${archive} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return archive;
}

async function parent() {
  const totalMB = Number(process.argv[2] && /^\d+$/.test(process.argv[2]) ? process.argv[2] : 1024);
  let dir = build(totalMB);
  let content = dir;
  if (process.argv.includes('--7z')) {
    content = buildWithSmallFiles(dir, Number(option('small') ?? 800));
    const archive = build7z(content);
    if (!archive) {
      console.log('skipped: --7z needs 7-Zip\'s 7zz (Debian/Ubuntu: apt-get install 7zip), which is not installed');
      return;
    }
    console.log(`archive ${archive}: ${(statSync(archive).size / 1048576).toFixed(1)} MB compressed`);
    dir = archive;
  } else if (process.argv.includes('--zip')) {
    const zip = `${dir}.zip`;
    if (!existsSync(zip)) {
      const r = spawnSync('zip', ['-q', '-r', '-1', zip, '.', '-x', 'done'], { cwd: dir, stdio: 'inherit' });
      if (r.status !== 0) throw new Error('zip (Info-ZIP) is needed for --zip');
    }
    console.log(`archive ${zip}: ${(statSync(zip).size / 1048576).toFixed(0)} MB compressed`);
    dir = zip;
  }
  let bytes = 0;
  let fileCount = 0;
  const walk = (d) => {
    for (const e of spawnSync('find', [d, '-type', 'f', '!', '-name', 'done'], { encoding: 'utf8' }).stdout.trim().split('\n')) {
      if (!e) continue;
      bytes += statSync(e).size;
      fileCount++;
    }
  };
  walk(content);
  console.log(`node ${process.version}; bundle ${dir}: ${(bytes / 1048576).toFixed(0)} MB uncompressed in ${fileCount} files`);
  const outOption = option('out');
  const r = spawnSync(process.execPath, [self, '--child', dir, ...(outOption ? [`--out=${outOption}`] : [])], { encoding: 'utf8', maxBuffer: 1 << 24 });
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
