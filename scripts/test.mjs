// The README's test command: `npm test` runs every stage; `npm test -- unit protocol` runs some.
//   typecheck  tsc --noEmit (strict)
//   build      the shipped bundles (minified, as packaged) and the compiled tests
//   unit       node:test over core and the CLI                      (out/test/unit)
//   protocol   the real server over stdio                           (out/test/protocol)
//   nvim       Neovim's built-in LSP client shows the same hover    (out/test/nvim)
//   e2e        a real VS Code (code-server): runTests + a UI test   (out/test/e2e)
// The unit, nvim and e2e stages first run scripts/setup-e2e.sh once (idempotent; installs what is
// missing: the MinGW-w64 headers for the oracle test, Neovim, Chromium, code-server).
// Ends with one line "N passed, N failed"; exits non-zero when any stage fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outputDir = join(root, 'test-output');
const ALL = ['typecheck', 'build', 'unit', 'protocol', 'nvim', 'e2e'];
const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const a of asked) if (!ALL.includes(a)) fail(`unknown stage "${a}"; stages: ${ALL.join(', ')}`);
// Any test stage needs the build; the build is cheap (well under a second).
const stages = asked.length === 0 ? ALL : ALL.filter((s) => asked.includes(s) || (s === 'build' && asked.some((a) => a !== 'typecheck')));

function fail(message) {
  console.error(`[test] ${message}`);
  process.exit(2);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.error) console.error(`[test] ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

function testFiles(dir) {
  const full = join(root, 'out', 'test', dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => join(full, f));
}

const totals = { passed: 0, failed: 0 };
const results = [];

function nodeTests(stage, files, env = {}) {
  if (files.length === 0) {
    console.error(`[test] ${stage}: no test files found`);
    return 1;
  }
  const tap = join(outputDir, `${stage}.tap`);
  const status = run(
    process.execPath,
    ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
    { env: { ...process.env, ...env } },
  );
  countTap(tap);
  return status;
}

function countTap(file) {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  totals.passed += Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  totals.failed += Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(text)?.[1] ?? 0);
}

let setupStatus;
function setupE2e() {
  setupStatus ??= run('bash', [join(root, 'scripts', 'setup-e2e.sh')]);
  return setupStatus;
}

mkdirSync(outputDir, { recursive: true });
for (const stage of stages) {
  const started = Date.now();
  console.log(`\n[test] ── ${stage} ─────────────────────────────`);
  let status = 0;
  switch (stage) {
    case 'typecheck':
      status = run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', root]);
      break;
    case 'build':
      status = run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production']);
      break;
    case 'unit':
      status = setupE2e() || nodeTests('unit', testFiles('unit'));
      break;
    case 'protocol':
      status = nodeTests('protocol', testFiles('protocol'));
      break;
    case 'nvim':
      status = setupE2e() || nodeTests('nvim', testFiles('nvim'));
      break;
    case 'e2e': {
      status = setupE2e();
      if (status !== 0) break;
      // The UI test installs the packaged extension, as a user would: package what was just built.
      const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
      status = run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', join(outputDir, 'bundle-lens-e2e.vsix')]);
      if (status !== 0) {
        totals.failed += 1;
        break;
      }
      const summary = join(outputDir, 'e2e-api.json');
      rmSync(summary, { force: true });
      const api = run(process.execPath, [join(root, 'out', 'test', 'e2e', 'run.js')]);
      if (existsSync(summary)) {
        const s = JSON.parse(readFileSync(summary, 'utf8'));
        totals.passed += s.passed;
        totals.failed += s.failed;
      } else if (api !== 0) totals.failed += 1; // the run died before any test reported
      const ui = nodeTests('e2e-ui', testFiles('e2e'));
      status = api || ui;
      break;
    }
  }
  if (status !== 0 && (stage === 'typecheck' || stage === 'build')) totals.failed += 1;
  results.push({ stage, status, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}

console.log('\n[test] ── summary ─────────────────────────────');
for (const r of results) console.log(`[test] ${r.stage.padEnd(10)} ${r.status === 0 ? 'ok    ' : 'FAILED'} ${r.seconds}s`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(results.some((r) => r.status !== 0) ? 1 : 0);
