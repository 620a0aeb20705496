// Drive a real VS Code workbench (code-server = VS Code 1.139 server + web workbench, real Node
// extension host) from Node 20. Used by code-server-launcher.mjs (the `vscodeExecutablePath` we give
// @vscode/test-electron's runTests) and reusable by UI tests.
//
// Everything it needs is installed by scripts/setup-e2e.sh into a cache folder outside the clone
// ($BUNDLE_LENS_CACHE, default ~/.cache/bundle-lens), described by <cache>/e2e-env.json.
// Dependencies: Node built-ins, plus playwright-core (loaded lazily, only by openBrowser).
//
// Non-obvious facts this relies on (measured with code-server 4.139.1):
// - code-server 4.139 needs Node 24; we run it with the cached Node 24 and put its bin/ first on
//   PATH (the extension host is forked from code-server, so it runs on Node 24 too).
// - The browser only honours the `payload` query parameter (extensionDevelopmentPath,
//   extensionTestsPath, ...) in a *built* workbench when the server runs with
//   `--vscode-option enable-smoke-test-driver`; without it the page ignores the payload and a test
//   run never starts (hangs until timeout). The same flag makes the workbench call
//   `window.codeAutomationExit(code, logs)` when the extension host of a test run exits; we expose
//   that function with playwright's page.exposeFunction to receive the tests' exit code.
// - The payload is read into a Map, so only ONE extensionDevelopmentPath can be given.
// - code-server forks an extension host (+ watchers, pty host): killing code-server's pid alone
//   leaves them running. We start it as the child of group-leader.cjs, spawned with
//   `detached: true` (= setsid(2), a new process group), and stop it with kill(-pgid).
// - code-server writes ~/.config/code-server/config.yaml and ~/.local/share/code-server unless
//   XDG_CONFIG_HOME / XDG_DATA_HOME point elsewhere: each server gets private temp dirs.
// - code-server reads some env vars that would silently change its behaviour (PORT overrides
//   the port of --bind-addr, PASSWORD/HASHED_PASSWORD, VSCODE_OPTIONS, VSCODE_IPC_HOOK_CLI makes it
//   hand the folder to an *existing* instance when run from a code-server terminal...): scrubbed.
// - `--bind-addr 127.0.0.1:0` works: the kernel picks a free port (no race between choosing and
//   binding) and code-server prints "HTTP server listening on http://127.0.0.1:<port>/".
// - A short `--reconnection-grace-time` keeps a disconnected extension host from lingering.
// - Offline and quiet: EXTENSIONS_GALLERY='{}' disables the gallery (else it queries open-vsx.org),
//   and DEFAULT_SETTINGS turn off the AI/chat features (else the workbench starts a Copilot
//   "agent host" process that floods the logs).
// - Test output: see testsWrapperSource() (the extension host's console is captured through a
//   generated wrapper around the tests module, because the workbench mixes it with its own logs).
// - In the workbench the extension host sees vscode.env.uiKind === UIKind.Web and
//   vscode.env.remoteName === '127.0.0.1:<port>' (desktop: Desktop / undefined).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GROUP_LEADER = path.join(HERE, 'group-leader.cjs');

/** Headless flags for Debian's chromium (no GPU, no network chatter, no sandbox as root). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Cache folder of scripts/setup-e2e.sh. */
export function cacheDir() {
  return process.env.BUNDLE_LENS_CACHE || path.join(os.homedir(), '.cache', 'bundle-lens');
}

/**
 * Reads <cache>/e2e-env.json written by scripts/setup-e2e.sh and checks the paths exist.
 * @returns {{ node24: string, codeServer: string, chromium: string, nvim: string, file: string, cacheDir: string }}
 */
export function readE2eEnv() {
  const file = path.join(cacheDir(), 'e2e-env.json');
  let env;
  try {
    env = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(
      `cannot read ${file} (${err.code ?? err.message}): run \`bash scripts/setup-e2e.sh\` first ` +
        '(installs Node 24, code-server and chromium into the cache; set BUNDLE_LENS_CACHE to move it)',
    );
  }
  for (const key of ['node24', 'codeServer']) {
    if (!env[key] || !fs.existsSync(env[key])) {
      throw new Error(`${file}: ${key} = ${JSON.stringify(env[key])} does not exist: re-run \`bash scripts/setup-e2e.sh\``);
    }
  }
  env.chromium ||= '/usr/bin/chromium';
  return { ...env, file, cacheDir: cacheDir() };
}

/** `vscode-remote://<authority><abs path>` for a local path, as the web workbench expects. */
export function remoteUri(authority, p) {
  return `vscode-remote://${authority}${pathToFileURL(path.resolve(p)).pathname}`;
}

/**
 * Workbench URL for a running server.
 * @param {string} origin  e.g. http://127.0.0.1:4711
 * @param {{ folder?: string, workspace?: string, file?: string, extensionDevelopmentPath?: string,
 *           extensionTestsPath?: string, extensionEnvironment?: Record<string,string>,
 *           skipWelcome?: boolean }} [o]
 */
export function workbenchUrl(origin, o = {}) {
  const authority = new URL(origin).host;
  const q = new URLSearchParams();
  if (o.workspace) q.set('workspace', path.resolve(o.workspace));
  else if (o.folder) q.set('folder', path.resolve(o.folder));
  else q.set('ew', 'true'); // empty window (else code-server reopens the last folder)
  const payload = [];
  if (o.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(authority, o.extensionDevelopmentPath)]);
  if (o.extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(authority, o.extensionTestsPath)]);
  if (o.extensionEnvironment) payload.push(['extensionEnvironment', JSON.stringify(o.extensionEnvironment)]);
  if (o.file) payload.push(['openFile', remoteUri(authority, o.file)]);
  if (o.skipWelcome !== false) payload.push(['skipWelcome', 'true'], ['skipReleaseNotes', 'true']);
  if (payload.length) q.set('payload', JSON.stringify(payload));
  return `${origin}/?${q}`;
}

/**
 * User settings of every server (o.settings is merged over them). They keep the workbench quiet,
 * fast and offline: no AI/chat features (else the renderer starts code-server's Copilot "agent host"
 * process, which logs dozens of lines per second), no welcome page, no update/recommendation checks.
 */
export const DEFAULT_SETTINGS = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * With `workspaceTrust: true`: trust is on and a new folder opens untrusted, in Restricted Mode,
 * without the modal trust prompt (it would block the page).
 */
const TRUST_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
};

const SCRUBBED_ENV = /^(PORT|PASSWORD|HASHED_PASSWORD|GITHUB_TOKEN|VSCODE_.*|CODE_SERVER_.*|CS_.*|ELECTRON_.*|XDG_CONFIG_HOME|XDG_DATA_HOME|NODE_OPTIONS)$/;

function serverEnv(e2e, dirs, extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!SCRUBBED_ENV.test(k)) env[k] = v;
  env.PATH = `${path.dirname(e2e.node24)}${path.delimiter}${process.env.PATH ?? ''}`;
  env.XDG_CONFIG_HOME = dirs.xdgConfig;
  env.XDG_DATA_HOME = dirs.xdgData;
  // No extension gallery: code-server would otherwise query open-vsx.org (no network here, and
  // tests must stay on 127.0.0.1). An empty gallery config disables gallery features.
  env.EXTENSIONS_GALLERY = '{}';
  return { ...env, ...extra };
}

function runToEnd(cmd, args, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      reject(new Error(`${path.basename(cmd)} ${args.join(' ')} timed out after ${timeoutMs} ms\n${out}`));
    }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

function httpGet(url, timeoutMs) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
}

/**
 * Pids of the non-zombie processes of a process group (Linux /proc). Falls back to kill(-pgid, 0)
 * where /proc is missing (that one counts zombies too).
 */
export function liveGroupMembers(pgid) {
  let names;
  try {
    names = fs.readdirSync('/proc');
  } catch {
    try { process.kill(-pgid, 0); return [pgid]; } catch { return []; }
  }
  const live = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try { stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8'); } catch { continue; }
    // "pid (comm) state ppid pgrp ...": comm may contain spaces/parens, so split after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') live.push(Number(name));
  }
  return live;
}

/**
 * Writes <user-data>/languagepacks.json for the language packs installed in extensionsDir.
 * Why: the server picks the display language for --locale from that file, but only its
 * language-pack service writes it, lazily (on an install *through the running server*, or when
 * the UI lists languages). `code-server --install-extension x.vsix` (a separate CLI process) does
 * not, so --locale=ja would stay English although a Japanese language pack is installed.
 * Same content as VS Code's LanguagePacksCache writes (languageId -> translations by id, and a hash
 * naming the cache folder of the compiled messages).
 */
async function writeLanguagePacks(extensionsDir, userDataDir) {
  const packs = {};
  let names = [];
  try { names = await fsp.readdir(extensionsDir); } catch { /* none */ }
  for (const name of names) {
    let manifest;
    try { manifest = JSON.parse(await fsp.readFile(path.join(extensionsDir, name, 'package.json'), 'utf8')); } catch { continue; }
    for (const loc of manifest.contributes?.localizations ?? []) {
      if (!loc.languageId || !Array.isArray(loc.translations)) continue;
      const id = loc.languageId.toLowerCase();
      const pack = (packs[id] ??= { hash: '', extensions: [], translations: {}, label: loc.localizedLanguageName ?? loc.languageName });
      pack.extensions.push({ extensionIdentifier: { id: `${manifest.publisher}.${manifest.name}`.toLowerCase() }, version: manifest.version });
      for (const t of loc.translations) pack.translations[t.id] = path.join(extensionsDir, name, t.path);
    }
  }
  if (!Object.keys(packs).length) return;
  for (const pack of Object.values(packs)) {
    pack.hash = createHash('md5').update(pack.extensions.map((e) => `${e.extensionIdentifier.id}@${e.version}`).sort().join()).digest('hex');
  }
  await fsp.writeFile(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts code-server in its own process group, on 127.0.0.1 with a kernel-chosen port, with
 * private temp user-data / extensions / XDG dirs. Resolves once GET /healthz answers 200.
 *
 * @param {object} [o]
 * @param {string} [o.folder]                    folder the default `url` opens
 * @param {string} [o.workspace]                 or a .code-workspace file
 * @param {string} [o.file]                      file to open (payload openFile)
 * @param {string} [o.extensionDevelopmentPath]  load this extension from source (one only)
 * @param {string} [o.extensionTestsPath]        run this tests module (needs the smoke-test driver)
 * @param {string|string[]} [o.installVsix]      .vsix file(s) installed into the temp extensions dir first
 * @param {string} [o.locale]                    display language, passed as `--locale`
 * @param {boolean} [o.disableExtensions]        `--disable-extensions` for the server (installed extensions only)
 * @param {boolean} [o.workspaceTrust]           keep workspace trust on: the folder opens in Restricted Mode
 * @param {Record<string,string>} [o.env]        extra environment for code-server and its extension host
 * @param {boolean} [o.smokeTestDriver=true]     `--vscode-option enable-smoke-test-driver` (needed for payloads)
 * @param {number}  [o.startTimeoutMs=60000]     budget for listening + /healthz
 * @param {boolean} [o.keepDirs]                 keep the temp dirs after stop() (default: $BUNDLE_LENS_E2E_KEEP)
 * @param {(line: string) => void} [o.onOutput]  code-server stdout/stderr lines (always also in `logFile`)
 * @returns {Promise<{ port: number, origin: string, url: string, workbenchUrl: (o?: object) => string,
 *   pid: number, baseDir: string, userDataDir: string, extensionsDir: string, logsDir: string,
 *   logFile: string, exited: Promise<{code: number|null, signal: string|null}>,
 *   logTail: (lines?: number) => string, stop: (o?: { keepDirs?: boolean }) => Promise<void>,
 *   onOutput: (line: string) => void }>}  (onOutput is a setter: follow code-server's output later)
 */
export async function startCodeServer(o = {}) {
  const e2e = readE2eEnv();
  const startTimeoutMs = o.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + startTimeoutMs;
  const baseDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bundle-lens-cs-'));
  const dirs = {
    userData: path.join(baseDir, 'user-data'),
    extensions: path.join(baseDir, 'extensions'),
    xdgConfig: path.join(baseDir, 'xdg-config'),
    xdgData: path.join(baseDir, 'xdg-data'),
  };
  for (const d of Object.values(dirs)) await fsp.mkdir(d, { recursive: true });
  await fsp.mkdir(path.join(dirs.userData, 'User'), { recursive: true });
  await fsp.writeFile(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...(o.workspaceTrust ? TRUST_SETTINGS : {}), ...(o.settings ?? {}) }, null, 2),
  );
  const logFile = path.join(baseDir, 'code-server.log');
  const env = serverEnv(e2e, dirs, o.env ?? {});
  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  const removeDirs = () => fsp.rm(baseDir, { recursive: true, force: true }).catch(() => {});

  for (const vsix of [o.installVsix ?? []].flat()) {
    const r = await runToEnd(e2e.node24, [e2e.codeServer, ...common, '--install-extension', path.resolve(vsix), '--force'], env, Math.max(5_000, deadline - Date.now()));
    if (r.code !== 0) {
      await removeDirs();
      throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.code}):\n${r.out}`);
    }
  }

  if (o.locale && !/^en\b/i.test(o.locale)) await writeLanguagePacks(dirs.extensions, dirs.userData);

  const args = [
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    ...common,
    '--disable-telemetry',
    '--disable-update-check',
    ...(o.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--reconnection-grace-time', '2',
    '--ignore-last-opened',
  ];
  if (o.smokeTestDriver !== false) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (o.disableExtensions) args.push('--vscode-option', 'disable-extensions');
  if (o.locale) args.push('--locale', o.locale);

  const logStream = fs.createWriteStream(logFile);
  const tail = [];
  // Node 20 runs the leader; the leader runs code-server on Node 24.
  const child = spawn(process.execPath, [GROUP_LEADER, e2e.node24, e2e.codeServer, ...args], {
    env,
    cwd: baseDir,
    detached: true, // setsid(): own session + process group, so stop() can kill(-pgid)
    stdio: ['pipe', 'pipe', 'pipe'], // stdin: the leader's "launcher is alive" pipe
  });
  const pgid = child.pid;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let onLine = o.onOutput;
  let listening;
  const listeningSeen = new Promise((resolve) => (listening = resolve));
  const lineReader = () => {
    const decoder = new StringDecoder('utf8');
    let partial = '';
    return (d) => {
      logStream.write(d);
      partial += decoder.write(d);
      const lines = partial.split('\n');
      partial = lines.pop();
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 200) tail.shift();
        const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(line);
        if (m) listening({ origin: m[1], port: Number(m[2]) });
        onLine?.(line);
      }
    };
  };
  child.stdout.on('data', lineReader());
  child.stderr.on('data', lineReader());
  child.stdin.on('error', () => {}); // EPIPE when the leader is gone
  const logTail = (n = 40) => tail.filter((l) => l.trim()).slice(-n).join('\n');

  let stopped = false;
  const stop = async ({ keepDirs = o.keepDirs ?? !!process.env.BUNDLE_LENS_E2E_KEEP } = {}) => {
    if (!stopped) {
      stopped = true;
      const signalGroup = (sig) => {
        try { process.kill(-pgid, sig); return true; } catch { return false; }
      };
      // Polite first (lets code-server shut the extension host down), then SIGKILL the group.
      if (signalGroup('SIGTERM')) {
        const t = await Promise.race([exited.then(() => 'exited'), delay(3_000).then(() => 'timeout')]);
        if (t === 'timeout') process.stderr.write('[code-server] did not stop within 3 s of SIGTERM: SIGKILL\n');
      }
      signalGroup('SIGKILL');
      // SIGKILL is delivered at once, but dying takes the kernel a moment: bounded check that no
      // live member remains. (Zombies are ignored: they are dead, waiting for PID 1 to reap them,
      // which on our VMs' init can take a second or two.)
      for (let i = 0; i < 100 && liveGroupMembers(pgid).length; i++) await delay(20);
      const left = liveGroupMembers(pgid);
      if (left.length) process.stderr.write(`[code-server] process group ${pgid} still has live processes after SIGKILL: ${left.join(' ')}\n`);
      child.stdin.destroy();
      await new Promise((r) => logStream.end(r));
    }
    if (!keepDirs) await removeDirs();
    else process.stderr.write(`[code-server] kept ${baseDir}\n`);
  };

  const fail = async (msg) => {
    await stop({ keepDirs: true });
    throw new Error(`${msg}\n--- code-server output (last lines; full log: ${logFile}) ---\n${logTail()}\n---`);
  };

  // 1. listening line (or code-server dying, or the budget running out)
  let timer;
  const started = await Promise.race([
    listeningSeen,
    exited.then((x) => ({ died: x })),
    new Promise((r) => (timer = setTimeout(() => r({ timeout: true }), Math.max(0, deadline - Date.now())))),
  ]);
  clearTimeout(timer);
  // (The leader SIGKILLs its group, itself included, once code-server exits: its exit status says
  // nothing. code-server's own exit code is in the output: "group-leader: ... exited (N)".)
  if (started.died) await fail('code-server exited before listening');
  if (started.timeout) await fail(`code-server did not listen within ${startTimeoutMs} ms`);
  const { origin, port } = started;

  // 2. readiness: /healthz answers 200 (bounded poll; it is up within a few ms of listening)
  let healthy = false;
  while (!healthy && Date.now() < deadline) {
    const r = await httpGet(`${origin}/healthz`, 2_000);
    healthy = r.status === 200;
    if (!healthy) {
      const died = await Promise.race([exited, delay(100).then(() => null)]);
      if (died) await fail('code-server exited while waiting for /healthz');
    }
  }
  if (!healthy) await fail(`code-server /healthz not ready within ${startTimeoutMs} ms`);

  const wb = (x = {}) =>
    workbenchUrl(origin, {
      folder: o.folder,
      workspace: o.workspace,
      file: o.file,
      extensionDevelopmentPath: o.extensionDevelopmentPath,
      extensionTestsPath: o.extensionTestsPath,
      ...x,
    });
  return {
    port,
    origin,
    url: wb(),
    workbenchUrl: wb,
    pid: pgid,
    baseDir,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    logsDir: path.join(dirs.userData, 'logs'),
    logFile,
    exited,
    logTail,
    stop,
    set onOutput(fn) { onLine = fn; },
  };
}

/**
 * Launches Debian chromium (headless) through playwright-core and opens `url`.
 * @param {string} url
 * @param {object} [o]
 * @param {Record<string, Function>} [o.exposeFunctions]  page.exposeFunction before navigating
 * @param {(msg: import('playwright-core').ConsoleMessage) => void} [o.onConsole]
 * @param {(err: Error) => void} [o.onPageError]
 * @param {boolean} [o.waitForWorkbench=true]  wait for `.monaco-workbench` to render
 * @param {number}  [o.timeoutMs=60000]
 * @param {string}  [o.locale]                 browser locale (e.g. 'ja')
 * @param {boolean} [o.headless=true]          false needs an X display (e.g. xvfb-run)
 * @param {{width: number, height: number}} [o.viewport]
 * @returns {Promise<{ browser: import('playwright-core').Browser, context: import('playwright-core').BrowserContext,
 *                     page: import('playwright-core').Page, close: () => Promise<void> }>}
 */
export async function openBrowser(url, o = {}) {
  const { chromium } = await import('playwright-core');
  let executablePath = '/usr/bin/chromium';
  try { executablePath = readE2eEnv().chromium; } catch { /* default */ }
  const timeout = o.timeoutMs ?? 60_000;
  const browser = await chromium.launch({
    executablePath,
    headless: o.headless ?? true,
    args: CHROMIUM_ARGS,
    timeout,
    // playwright's default SIGINT/SIGTERM/SIGHUP handlers close the browser and process.exit() at
    // once, which would skip our cleanup (code-server group, temp dirs). The caller handles signals;
    // chromium itself exits when its parent dies (its control pipe closes).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const close = async () => {
    await browser.close().catch(() => {});
  };
  try {
    const context = await browser.newContext({
      viewport: o.viewport ?? { width: 1400, height: 900 },
      ...(o.locale ? { locale: o.locale } : {}),
    });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    if (o.onConsole) page.on('console', o.onConsole);
    if (o.onPageError) page.on('pageerror', o.onPageError);
    for (const [name, fn] of Object.entries(o.exposeFunctions ?? {})) await page.exposeFunction(name, fn);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
    if (o.waitForWorkbench !== false) await page.waitForSelector('.monaco-workbench', { timeout });
    return { browser, context, page, close };
  } catch (err) {
    await close();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Extension tests (the runTests contract)
// ---------------------------------------------------------------------------------------------

/**
 * Source of the tests-module wrapper written into each run's temp dir and given to the workbench
 * as extensionTestsPath.
 *
 * Why: in a test run the extension host forwards console.* over RPC to the *browser*, where the
 * workbench logs it through its log service: mixed with the workbench's own log lines, in the same
 * format, so nothing tells them apart. (Only raw stdout writes also reach code-server's stdout.)
 * So the wrapper tees the extension host's console into a JSON-lines file that runExtensionTests
 * follows (fs.watch) and prints to its own stdout/stderr: a developer sees the mocha output (and
 * console output of the extension under test) in the terminal, as with desktop VS Code.
 *
 * How (VS Code 1.139 extension host internals, measured): console.log/info/debug/warn/error are
 * *accessor* properties (configurable, no-op setter) returning VS Code's forwarder, so plain
 * assignment is silently ignored: we redefine them with Object.defineProperty and chain to VS Code's
 * getter. process.stdout/stderr.write are non-configurable accessors that VS Code itself turns into
 * console.log/console.error calls per complete line, so they reach our tee through the console (a
 * last line without '\n' is not printed, as in VS Code). console.trace writes to stderr natively and
 * so arrives the same way.
 *
 * The real tests module is then loaded and its run(testsRoot, cb) called unchanged (promise or old
 * callback style), with testsRoot = the real module's path, as VS Code would.
 */
function testsWrapperSource(realTestsPath, outFile) {
  return `'use strict';
// Generated by test/e2e/launcher/code-server.mjs: see testsWrapperSource() there.
const fs = require('fs');
const util = require('util');
const REAL = ${JSON.stringify(realTestsPath)};
const fd = fs.openSync(${JSON.stringify(outFile)}, 'a');
function emit(stream, text) {
  try { fs.writeSync(fd, JSON.stringify([stream, String(text)]) + '\\n'); } catch { /* ignore */ }
}
for (const [method, stream] of [['log', 'out'], ['info', 'out'], ['debug', 'out'], ['warn', 'err'], ['error', 'err']]) {
  const prev = Object.getOwnPropertyDescriptor(console, method);
  if (!prev) continue;
  const target = () => (prev.get ? prev.get.call(console) : prev.value);
  const tee = function (...args) {
    emit(stream, util.format(...args) + '\\n');
    return target().apply(console, args);
  };
  if (prev.configurable) Object.defineProperty(console, method, { configurable: true, enumerable: prev.enumerable, get: () => tee, set: () => {} });
  else if (prev.writable) console[method] = tee;
}
// VS Code itself console.error()s a failing run (throw, rejection, callback error, module that
// does not load), so failures reach the file through the tee above: nothing to add here.
let real;
try {
  real = require(REAL); // CommonJS, or ESM without top-level await (Node 24 require(esm))
} catch (err) {
  if (err && (err.code === 'ERR_REQUIRE_ASYNC_MODULE' || err.code === 'ERR_REQUIRE_ESM')) real = undefined;
  else throw err;
}
exports.run = real
  ? (_testsRoot, cb) => {
      // same contract as calling the real module directly
      const mod = typeof real.run === 'function' ? real : real.default;
      if (!mod || typeof mod.run !== 'function') throw new Error(REAL + ' does not export a run() function');
      return mod.run(REAL, cb);
    }
  : (_testsRoot, cb) =>
      // ESM with top-level await: load it with import(); settle on the returned promise, or on
      // the old-style callback (failures > 0 => rejection => exit code 1, like VS Code's callback).
      import(require('url').pathToFileURL(REAL).href).then((m) => new Promise((resolve, reject) => {
        const mod = m.run ? m : m.default;
        const r = mod.run(REAL, (err, failures) => (err ? reject(err) : failures > 0 ? reject(new Error(failures + ' test(s) failed')) : resolve()));
        if (r && typeof r.then === 'function') r.then(resolve, reject);
      }));
`;
}

/** Follows a JSON-lines file written by the wrapper and writes each record to out/err. */
function followTestOutput(file, out, err) {
  let offset = 0;
  let rest = '';
  let watcher;
  const decoder = new StringDecoder('utf8'); // a read may end inside a multi-byte character
  const drain = () => {
    let fd;
    try { fd = fs.openSync(file, 'r'); } catch { return; }
    try {
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, offset);
        if (n <= 0) break;
        offset += n;
        rest += decoder.write(buf.subarray(0, n));
      }
    } finally {
      fs.closeSync(fd);
    }
    const lines = rest.split('\n');
    rest = lines.pop();
    for (const line of lines) {
      if (!line) continue;
      try {
        const [stream, text] = JSON.parse(line);
        (stream === 'err' ? err : out).write(text);
      } catch {
        out.write(line + '\n');
      }
    }
  };
  fs.writeFileSync(file, '');
  try {
    watcher = fs.watch(file, () => drain()); // inotify: printed as soon as it is written
  } catch {
    // e.g. inotify watches exhausted: fall back to stat polling (still drained at the end)
    fs.watchFile(file, { interval: 200 }, () => drain());
    watcher = { close: () => fs.unwatchFile(file) };
  }
  return {
    stop() {
      watcher?.close();
      watcher = undefined;
      drain();
    },
  };
}

function tailFile(file, n) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).slice(-n).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

async function findFiles(dir, re) {
  const found = [];
  const walk = async (d) => {
    let entries = [];
    try { entries = await fsp.readdir(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (re.test(e.name)) found.push(p);
    }
  };
  await walk(dir);
  return found;
}

/**
 * Runs an extension's tests module in a real VS Code workbench, like desktop VS Code does for
 * `code --extensionDevelopmentPath=… --extensionTestsPath=…`: starts code-server, opens the
 * workbench in headless chromium with the test payload, prints the extension host's output, waits
 * for the exit code (window.codeAutomationExit), stops browser + code-server (whole process group).
 *
 * @param {object} o
 * @param {string} o.extensionDevelopmentPath
 * @param {string} o.extensionTestsPath          module (or folder with index.js) exporting run()
 * @param {string} [o.folder]                    folder to open (or o.workspace / o.file)
 * @param {string} [o.workspace]
 * @param {string} [o.file]
 * @param {string} [o.locale]
 * @param {boolean} [o.disableExtensions]
 * @param {string|string[]} [o.installVsix]
 * @param {Record<string,string>} [o.env]          extra env for code-server + extension host
 * @param {Record<string,unknown>} [o.settings]    user settings merged over DEFAULT_SETTINGS
 * @param {number} [o.timeoutMs]                   whole run; default $BUNDLE_LENS_E2E_TIMEOUT_MS or 300000
 * @param {boolean} [o.verbose]                    also print code-server output and the browser console
 *                                                 (default $BUNDLE_LENS_E2E_VERBOSE)
 * @param {NodeJS.WritableStream} [o.stdout]
 * @param {NodeJS.WritableStream} [o.stderr]
 * @param {AbortSignal} [o.signal]                 abort => clean shutdown, resolves 130
 * @returns {Promise<number>} the tests' exit code (0 = passed); 124 on timeout; 1 on other failures
 */
export async function runExtensionTests(o) {
  const stdout = o.stdout ?? process.stdout;
  const stderr = o.stderr ?? process.stderr;
  const verbose = o.verbose ?? !!process.env.BUNDLE_LENS_E2E_VERBOSE;
  const timeoutMs = o.timeoutMs ?? (Number(process.env.BUNDLE_LENS_E2E_TIMEOUT_MS) || 300_000);
  const say = (msg) => stderr.write(`[e2e] ${msg}\n`);
  const t0 = Date.now();
  const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  if (!o.extensionDevelopmentPath || !o.extensionTestsPath) throw new Error('runExtensionTests: extensionDevelopmentPath and extensionTestsPath are required');

  let cs;
  let br;
  let follower;
  let timer;
  let code = 1;
  try {
    const overall = new Promise((resolve) => (timer = setTimeout(() => resolve({ timeout: true }), timeoutMs)));
    const aborted = new Promise((resolve) => {
      if (o.signal?.aborted) resolve({ aborted: true });
      o.signal?.addEventListener('abort', () => resolve({ aborted: true }), { once: true });
    });
    const started = startCodeServer({
      folder: o.folder,
      workspace: o.workspace,
      file: o.file,
      extensionDevelopmentPath: o.extensionDevelopmentPath,
      installVsix: o.installVsix,
      locale: o.locale,
      disableExtensions: o.disableExtensions,
      env: o.env,
      settings: o.settings,
      startTimeoutMs: Math.min(timeoutMs, 90_000),
      onOutput: verbose ? (l) => stderr.write(`[code-server] ${l}\n`) : undefined,
    });
    const s0 = await Promise.race([started, overall, aborted]);
    if (s0.timeout || s0.aborted) {
      started.then((x) => x.stop()).catch(() => {});
      say(s0.timeout ? `timed out after ${timeoutMs} ms while starting code-server` : 'aborted');
      return s0.timeout ? 124 : 130;
    }
    cs = s0;
    say(`code-server ${cs.origin} ready after ${since()}`);

    const outFile = path.join(cs.baseDir, 'tests-output.jsonl');
    const wrapper = path.join(cs.baseDir, 'tests-wrapper.cjs');
    await fsp.writeFile(wrapper, testsWrapperSource(path.resolve(o.extensionTestsPath), outFile));
    follower = followTestOutput(outFile, stdout, stderr);

    let onExit;
    const exitCalled = new Promise((resolve) => (onExit = resolve));
    const url = cs.workbenchUrl({ extensionTestsPath: wrapper });
    const opened = openBrowser(url, {
      locale: o.locale,
      waitForWorkbench: false, // the exit callback is the signal we wait for
      timeoutMs: Math.min(timeoutMs, 90_000),
      exposeFunctions: { codeAutomationExit: (c) => onExit({ exit: Number(c) }) },
      onConsole: verbose ? (m) => stderr.write(`[browser:${m.type()}] ${m.text().replace(/^%c\s*(\w+)\s+color: #\w+\s/, '$1 ')}\n`) : undefined,
      onPageError: verbose ? (e) => stderr.write(`[browser:pageerror] ${e.message}\n`) : undefined,
    });
    const b0 = await Promise.race([opened, overall, aborted, cs.exited.then((x) => ({ died: x }))]);
    if (!b0.page) {
      opened.then((x) => x.close()).catch(() => {});
      if (b0.timeout) { say(`timed out after ${timeoutMs} ms while opening the browser`); return 124; }
      if (b0.aborted) { say('aborted'); return 130; }
      say(`code-server exited unexpectedly (${b0.died.signal ?? `exit ${b0.died.code}`}):\n${cs.logTail()}`);
      return 1;
    }
    br = b0;
    say(`workbench page loaded after ${since()}; running ${o.extensionTestsPath}`);
    const pageGone = new Promise((resolve) => {
      br.page.on('crash', () => resolve({ gone: 'page crashed' }));
      br.page.on('close', () => resolve({ gone: 'page closed' }));
      br.browser.on('disconnected', () => resolve({ gone: 'browser disconnected' }));
    });
    const r = await Promise.race([exitCalled, overall, aborted, pageGone, cs.exited.then((x) => ({ died: x }))]);
    if ('exit' in r) {
      code = Number.isInteger(r.exit) ? r.exit : 1;
      say(`tests finished with exit code ${code} after ${since()}`);
    } else if (r.timeout) {
      code = 124;
      say(`TIMEOUT: the tests did not finish within ${timeoutMs} ms (set BUNDLE_LENS_E2E_TIMEOUT_MS to change)`);
    } else if (r.aborted) {
      code = 130;
      say('aborted');
    } else if (r.gone) {
      code = 1;
      say(`${r.gone} before the tests finished`);
    } else {
      code = 1;
      say(`code-server exited unexpectedly (${r.died.signal ?? `exit ${r.died.code}`}) before the tests finished`);
    }
    if (code !== 0) {
      follower.stop();
      const logs = await findFiles(cs.logsDir, /^(remoteexthost|exthost)\.log$/);
      if ('exit' in r) {
        // The tests ran and failed: their own output says why. Add only the extension host's
        // errors (e.g. "Activating extension ... failed"), which do not go through the console.
        for (const f of logs) {
          const errors = tailFile(f, 400).split('\n').filter((l) => / \[error\] /.test(l)).slice(-15);
          if (errors.length) say(`errors in ${path.relative(cs.logsDir, f)}:\n${errors.join('\n')}`);
        }
      } else if (!r.aborted) {
        for (const f of logs) say(`--- ${path.relative(cs.logsDir, f)} (last lines) ---\n${tailFile(f, 20)}`);
        say(`--- code-server output (last lines) ---\n${cs.logTail(20)}`);
      }
      if (!process.env.BUNDLE_LENS_E2E_KEEP && !r.aborted) say('set BUNDLE_LENS_E2E_KEEP=1 to keep all logs, BUNDLE_LENS_E2E_VERBOSE=1 to see workbench output');
    }
    return code;
  } catch (err) {
    say(`failed: ${err?.message ?? err}`);
    return 1;
  } finally {
    clearTimeout(timer);
    follower?.stop();
    await br?.close();
    await cs?.stop();
  }
}
