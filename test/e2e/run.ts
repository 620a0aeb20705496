/**
 * End-to-end tests in a real VS Code through @vscode/test-electron's standard `runTests`.
 * Where VS Code desktop cannot be downloaded (as on our CI machines), `vscodeExecutablePath` is
 * our launcher that drives code-server (test/e2e/launcher). Set BUNDLE_LENS_E2E_DESKTOP=1 on a
 * machine that can download VS Code to run the same suite in desktop VS Code instead.
 */
import { runTests } from '@vscode/test-electron';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FIXTURES, ROOT } from '../support/paths';
import { makeLanguagePack } from './language-pack';

/** One runTests run of the suites named by `suite`; its passed / failed counts, or undefined if it died first. */
async function runSuite(o: { suite: 'e2e' | 'locale'; workspace: string; summary: string; launchArgs?: string[]; env?: Record<string, string> }): Promise<{ code: number; counts?: { passed: number; failed: number } }> {
  const options: Parameters<typeof runTests>[0] = {
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out', 'test', 'e2e', 'suite', 'index.js'),
    launchArgs: [o.workspace, '--disable-extensions', ...(o.launchArgs ?? [])],
    extensionTestsEnv: { BUNDLE_LENS_E2E_WORKSPACE: o.workspace, BUNDLE_LENS_E2E_SUMMARY: o.summary, BUNDLE_LENS_E2E_SUITE: o.suite, ...(o.env ?? {}) },
  };
  if (process.env['BUNDLE_LENS_E2E_DESKTOP'] !== '1') {
    options.vscodeExecutablePath = path.join(ROOT, 'test', 'e2e', 'launcher', 'code-server-launcher.mjs');
  }
  rmSync(o.summary, { force: true });
  let code: number;
  try {
    code = await runTests(options);
  } catch (e) {
    console.error(`[e2e] runTests failed: ${e instanceof Error ? e.message : String(e)}`);
    code = 1;
  }
  return existsSync(o.summary) ? { code, counts: JSON.parse(readFileSync(o.summary, 'utf8')) } : { code };
}

async function main(): Promise<number> {
  // The workspace is a copy: nothing a test does can change the committed fixtures.
  const workspace = mkdtempSync(path.join(tmpdir(), 'bundle-lens-e2e-ws-'));
  cpSync(FIXTURES, workspace, { recursive: true });
  const scratch = mkdtempSync(path.join(tmpdir(), 'bundle-lens-e2e-'));
  const summary = path.join(ROOT, 'test-output', 'e2e-api.json');
  try {
    // Every suite in English, then the localisation suite with VS Code's display language set to
    // Japanese (--locale=ja with a stand-in language pack, see language-pack.ts).
    const english = await runSuite({ suite: 'e2e', workspace, summary: path.join(scratch, 'en.json') });
    if (process.env['BUNDLE_LENS_E2E_DESKTOP'] === '1') {
      // Desktop VS Code gets language packs from the Marketplace; the stand-in pack is installed by
      // the code-server launcher only. Said, not hidden: the Japanese run did not happen.
      console.log('[e2e] BUNDLE_LENS_E2E_DESKTOP=1: the Japanese run is skipped (install a Japanese language pack and run with --locale=ja to check it by hand)');
      mkdirSync(path.dirname(summary), { recursive: true });
      writeFileSync(summary, JSON.stringify(english.counts ?? { passed: 0, failed: 1 }));
      return english.code;
    }
    const pack = makeLanguagePack('ja', 'Japanese', '日本語', scratch);
    const japanese = await runSuite({
      suite: 'locale',
      workspace,
      summary: path.join(scratch, 'ja.json'),
      launchArgs: ['--locale=ja'],
      env: { BUNDLE_LENS_E2E_INSTALL_VSIX: pack, BUNDLE_LENS_E2E_LOCALE: 'ja' },
    });
    const runs = [english, japanese];
    mkdirSync(path.dirname(summary), { recursive: true });
    writeFileSync(
      summary,
      JSON.stringify({
        passed: runs.reduce((n, r) => n + (r.counts?.passed ?? 0), 0),
        // A run that died before reporting counts as one failure.
        failed: runs.reduce((n, r) => n + (r.counts ? r.counts.failed : 1), 0),
      }),
    );
    return runs.some((r) => r.code !== 0) ? 1 : 0;
  } catch (e) {
    console.error(`[e2e] ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
