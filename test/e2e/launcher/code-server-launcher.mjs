#!/usr/bin/env node
// Stand-in for the VS Code executable, for @vscode/test-electron's runTests:
//
//   const { runTests } = require('@vscode/test-electron');
//   await runTests({
//     vscodeExecutablePath: path.resolve('test/e2e/launcher/code-server-launcher.mjs'),
//     extensionDevelopmentPath, extensionTestsPath, launchArgs: [workspaceFolder],
//   });
//
// VS Code desktop cannot be downloaded on our machines, but code-server (the same VS Code 1.139
// workbench + a real Node extension host, served to a browser) is installed by
// scripts/setup-e2e.sh. runTests spawns this script with Electron-style arguments; we translate
// them into a code-server + headless chromium run (see code-server.mjs), stream the tests' output
// to stdout/stderr and exit with the tests' exit code, so runTests behaves as with desktop VS Code.
// On a machine that can download VS Code, simply drop vscodeExecutablePath.
//
// Arguments understood (both --flag=value and --flag value):
//   --extensionDevelopmentPath=<dir>   (required; one only: the web workbench takes one)
//   --extensionTestsPath=<module>      (required)
//   --locale=<lang>                    passed to code-server --locale (and the browser locale)
//   --disable-extensions               passed to the VS Code server
//   <path>                             folder / .code-workspace / file to open (first one wins)
//   --user-data-dir, --extensions-dir  accepted and ignored: every run gets private temp dirs
//     outside the clone (runTests' defaults point into .vscode-test/ of the cwd, and code-server
//     puts a unix socket in the user-data dir, whose path must stay < 108 bytes)
//   anything else (--no-sandbox, --disable-gpu-sandbox, --skip-welcome, ...) is ignored.
// Environment:
//   BUNDLE_LENS_E2E_TIMEOUT_MS  whole-run timeout (default 300000): exit 124 with a message
//   BUNDLE_LENS_E2E_VERBOSE=1   also print code-server's output and the browser console
//   BUNDLE_LENS_E2E_KEEP=1      keep the temp dirs (logs, user data) and print where they are
//   BUNDLE_LENS_CACHE           cache dir of scripts/setup-e2e.sh (default ~/.cache/bundle-lens)
//   BUNDLE_LENS_E2E_INSTALL_VSIX  .vsix files (separated by ':') installed into the run's
//                               extensions dir first, e.g. a language pack for --locale (runTests'
//                               extensionTestsEnv reaches this process too). With --locale=xx and an
//                               installed xx language pack, vscode.env.language is 'xx'.
//   Any other environment variable (extensionTestsEnv included) reaches the extension host.
import fs from 'node:fs';
import path from 'node:path';
import { runExtensionTests } from './code-server.mjs';

const VALUE_FLAGS = new Set([
  'extensionDevelopmentPath',
  'extensionTestsPath',
  'locale',
  'user-data-dir',
  'extensions-dir',
  'extensionDevelopmentKind',
  'folder-uri',
  'file-uri',
  'profile',
  'log',
  'crash-reporter-directory',
  'inspect-extensions',
  'inspect-brk-extensions',
]);

function parseArgs(argv) {
  const flags = {};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    let value;
    if (eq >= 0) value = a.slice(eq + 1);
    else if (VALUE_FLAGS.has(name) && i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    else value = true;
    (flags[name] ??= []).push(value);
  }
  return { flags, positional };
}

async function main() {
  const { flags, positional } = parseArgs(process.argv.slice(2));
  const one = (name) => {
    const v = flags[name];
    return v ? v[v.length - 1] : undefined;
  };
  const devPaths = flags.extensionDevelopmentPath ?? [];
  const testsPath = one('extensionTestsPath');
  if (devPaths.length === 0 || typeof testsPath !== 'string') {
    process.stderr.write(
      'code-server-launcher: --extensionDevelopmentPath=<dir> and --extensionTestsPath=<module> are required\n' +
        '(this script stands in for the VS Code executable of @vscode/test-electron runTests)\n',
    );
    return 2;
  }
  if (devPaths.length > 1) {
    process.stderr.write(
      `code-server-launcher: only one --extensionDevelopmentPath is supported by the web workbench (got ${devPaths.length})\n`,
    );
    return 2;
  }

  const open = {};
  for (const p of positional) {
    const abs = path.resolve(p);
    let st;
    try {
      st = fs.statSync(abs);
    } catch {
      process.stderr.write(`code-server-launcher: ${abs} does not exist\n`);
      return 2;
    }
    if (st.isDirectory()) open.folder ??= abs;
    else if (abs.endsWith('.code-workspace')) open.workspace ??= abs;
    else open.file ??= abs;
  }

  // runTests forwards Ctrl+C as SIGINT to us; a CI may send SIGTERM: shut down cleanly.
  const ac = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, () => ac.abort());

  const locale = one('locale');
  return runExtensionTests({
    extensionDevelopmentPath: path.resolve(devPaths[0]),
    extensionTestsPath: path.resolve(testsPath),
    ...open,
    locale: typeof locale === 'string' ? locale : undefined,
    disableExtensions: !!flags['disable-extensions'],
    installVsix: (process.env.BUNDLE_LENS_E2E_INSTALL_VSIX ?? '').split(path.delimiter).filter(Boolean),
    signal: ac.signal,
  });
}

main().then(
  (code) => {
    process.exitCode = code;
    // Do not wait for stray handles (e.g. a stuck pipe): everything we started is stopped by now.
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  },
  (err) => {
    process.stderr.write(`code-server-launcher: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
