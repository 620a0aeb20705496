// `npm install` installs, builds and packages: dist/ (minified) and bundle-lens-<version>.vsix.
// Skipped, with a note, where the dev dependencies are absent (`npm install --omit=dev`).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
if (!existsSync(join(root, 'node_modules', 'esbuild')) || !existsSync(vsce)) {
  console.log('[postinstall] dev dependencies not installed: skipping build and packaging');
  process.exit(0);
}
const run = (args) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
run([join(root, 'scripts', 'build.mjs'), '--production']);
run([vsce, 'package', '--no-dependencies', '--allow-missing-repository']);
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
console.log(`[postinstall] built dist/ and packaged ${name}-${version}.vsix`);
console.log(`[postinstall] try it: code --install-extension ${name}-${version}.vsix   or   npx bundle-lens decode 0x80092013`);
