// One esbuild script for everything that ships and everything that tests.
//   node scripts/build.mjs               development: source maps, not minified
//   node scripts/build.mjs --production  what the .vsix ships: minified, no source maps
//   node scripts/build.mjs --watch       rebuild on change
// Shipped bundles (dist/): extension.js (vscode external), server.js, cli.js; all CommonJS for Node.
// Also dist/libarchive/: libarchive.js's worker and WebAssembly, copied as they are (see below).
// Tests (out/test/): every test/**/*.ts transpiled file by file, importing src/ through out/src/.
import * as esbuild from 'esbuild';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @param {string} dir @param {(f: string) => boolean} keep */
function walk(dir, keep) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full, keep));
    else if (keep(full)) out.push(full);
  }
  return out;
}

// The one source of the version: package.json, compiled into every bundle.
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const define = { BUNDLE_LENS_VERSION: JSON.stringify(version) };

const common = {
  define,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  absWorkingDir: root,
};

const contexts = [
  { ...common, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...common, entryPoints: { server: 'src/server/server.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { cli: 'src/cli/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  {
    // Tests and the sources they import, transpiled one file each (no bundling), so that
    // node:test, mocha in the extension host and the protocol tests all load plain CommonJS.
    entryPoints: [
      ...walk(join(root, 'src'), (f) => f.endsWith('.ts')),
      ...walk(join(root, 'test'), (f) => f.endsWith('.ts')),
    ].map((f) => relative(root, f)),
    outdir: 'out',
    outbase: '.',
    bundle: false,
    define,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
    absWorkingDir: root,
  },
];

if (!watch) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  rmSync(join(root, 'out'), { recursive: true, force: true });
}
// libarchive.js (7z reading, src/core/bundle/archive.ts) runs its WebAssembly in a worker thread
// loaded from a file, which esbuild cannot inline: its worker and .wasm are copied next to the
// bundles, in dist/libarchive/, where archive.ts looks first (then node_modules, for out/).
const libarchiveDist = join(root, 'node_modules', 'libarchive.js', 'dist');
mkdirSync(join(root, 'dist', 'libarchive'), { recursive: true });
for (const f of ['worker-bundle-node.mjs', 'libarchive.wasm']) cpSync(join(libarchiveDist, f), join(root, 'dist', 'libarchive', f));
cpSync(join(libarchiveDist, '..', 'LICENSE'), join(root, 'dist', 'libarchive', 'LICENSE'));
const started = Date.now();
const ctxs = await Promise.all(contexts.map((c) => esbuild.context(c)));
if (watch) {
  await Promise.all(ctxs.map((c) => c.watch()));
  console.log('[build] watching…');
} else {
  await Promise.all(ctxs.map((c) => c.rebuild()));
  await Promise.all(ctxs.map((c) => c.dispose()));
  chmodSync(join(root, 'dist', 'cli.js'), 0o755);
  // Data files the transpiled sources require (the bundles inline them).
  for (const f of walk(join(root, 'src'), (p) => p.endsWith('.json'))) {
    const to = join(root, 'out', relative(root, f));
    mkdirSync(dirname(to), { recursive: true });
    cpSync(f, to);
  }
  console.log(`[build] ${production ? 'production' : 'development'} build in ${Date.now() - started} ms`);
}
