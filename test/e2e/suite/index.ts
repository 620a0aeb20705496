/**
 * The test module VS Code loads in its extension host (`extensionTestsPath`): runs the mocha
 * suites beside it and writes a summary (passed/failed counts) for scripts/test.mjs.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // BUNDLE_LENS_E2E_SUITE=locale: the suites that need VS Code in another display language.
  const ending = process.env['BUNDLE_LENS_E2E_SUITE'] === 'locale' ? '.locale.js' : '.e2e.js';
  for (const f of readdirSync(__dirname).filter((n) => n.endsWith(ending)).sort()) mocha.addFile(path.join(__dirname, f));
  const { passed, failed } = await new Promise<{ passed: number; failed: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }));
  });
  const summary = process.env['BUNDLE_LENS_E2E_SUMMARY'];
  if (summary) {
    mkdirSync(path.dirname(summary), { recursive: true });
    writeFileSync(summary, JSON.stringify({ passed, failed }));
  }
  if (failed > 0 || passed === 0) throw new Error(`${failed} of ${passed + failed} end-to-end tests failed`);
}
