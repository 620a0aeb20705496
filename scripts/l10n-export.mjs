// Refreshes l10n/bundle.l10n.json: every l10n.t(...) string of src/ (vscode-l10n-dev export),
// then the English sentences of core's knowledge tables (src/shared/l10n-knowledge.ts), which
// renderers translate by their text. Translations (bundle.l10n.<lang>.json) are not touched:
// `node scripts/l10n-check.mjs` lists what they lack.
//   npm run l10n:export
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The bundle's English keys, in the order they are written. */
export async function englishBundle() {
  const tmp = mkdtempSync(join(tmpdir(), 'bl-l10n-'));
  try {
    const cli = join(root, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
    const r = spawnSync(process.execPath, [cli, 'export', '--outDir', tmp, join(root, 'src')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vscode-l10n-dev export failed: ${r.stderr}`);
    const bundle = JSON.parse(readFileSync(join(tmp, 'bundle.l10n.json'), 'utf8'));
    await esbuild.build({
      entryPoints: [join(root, 'src/shared/l10n-knowledge.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: join(tmp, 'knowledge.js'),
      logLevel: 'warning',
    });
    const { knowledgeTexts } = createRequire(import.meta.url)(join(tmp, 'knowledge.js'));
    for (const text of knowledgeTexts()) if (!(text in bundle)) bundle[text] = text;
    return bundle;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bundle = await englishBundle();
  writeFileSync(join(root, 'l10n', 'bundle.l10n.json'), JSON.stringify(bundle, null, 2) + '\n');
  console.log(`l10n/bundle.l10n.json: ${Object.keys(bundle).length} strings`);
}
