/**
 * A stand-in for a VS Code language pack, built at test time: an extension that contributes the
 * `localizations` entry for one language with an empty translation of VS Code's own strings.
 * Real language packs are downloaded from the Marketplace, which these machines cannot reach;
 * with this one installed and `--locale=<lang>`, VS Code runs in that display language
 * (`vscode.env.language`), so it loads the extension's `package.nls.<lang>.json` and
 * `l10n/bundle.l10n.<lang>.json` and the language client sends that locale, exactly as with the
 * real pack. The workbench's own words stay English: the pack translates none of them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../support/paths';

export function makeLanguagePack(language: string, languageName: string, localizedName: string, dir: string): string {
  const folder = path.join(dir, `language-pack-${language}`);
  mkdirSync(path.join(folder, 'translations'), { recursive: true });
  writeFileSync(
    path.join(folder, 'package.json'),
    JSON.stringify(
      {
        name: `bundle-lens-test-language-pack-${language}`,
        displayName: `Test language pack (${languageName})`,
        description: `An empty ${languageName} language pack for Bundle Lens's end-to-end tests.`,
        publisher: 'bundle-lens-tests',
        version: '0.0.1',
        license: 'MIT',
        engines: { vscode: '^1.91.0' },
        categories: ['Language Packs'],
        contributes: {
          localizations: [{ languageId: language, languageName, localizedLanguageName: localizedName, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }],
        },
      },
      null,
      2,
    ),
  );
  writeFileSync(path.join(folder, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(path.join(folder, 'README.md'), `Test language pack (${languageName}).\n`);
  writeFileSync(path.join(folder, 'LICENSE'), 'MIT\n');
  const vsix = path.join(dir, `language-pack-${language}.vsix`);
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', vsix], { cwd: folder, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`vsce package of the ${language} language pack failed:\n${r.stdout}\n${r.stderr}`);
  return vsix;
}
