/**
 * End-to-end tests in a real VS Code through @vscode/test-electron's standard `runTests`.
 * Where VS Code desktop cannot be downloaded (as on our CI machines), `vscodeExecutablePath` is
 * our launcher that drives code-server (test/e2e/launcher). Set BUNDLE_LENS_E2E_DESKTOP=1 on a
 * machine that can download VS Code to run the same suite in desktop VS Code instead.
 */
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FIXTURES, ROOT } from '../support/paths';

async function main(): Promise<number> {
  // The workspace is a copy: nothing a test does can change the committed fixtures.
  const workspace = mkdtempSync(path.join(tmpdir(), 'bundle-lens-e2e-ws-'));
  cpSync(FIXTURES, workspace, { recursive: true });
  const options: Parameters<typeof runTests>[0] = {
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out', 'test', 'e2e', 'suite', 'index.js'),
    launchArgs: [workspace, '--disable-extensions'],
    extensionTestsEnv: { BUNDLE_LENS_E2E_WORKSPACE: workspace, BUNDLE_LENS_E2E_SUMMARY: path.join(ROOT, 'test-output', 'e2e-api.json') },
  };
  if (process.env['BUNDLE_LENS_E2E_DESKTOP'] !== '1') {
    options.vscodeExecutablePath = path.join(ROOT, 'test', 'e2e', 'launcher', 'code-server-launcher.mjs');
  }
  try {
    return await runTests(options);
  } catch (e) {
    console.error(`[e2e] runTests failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
