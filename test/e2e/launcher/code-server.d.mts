// Types for code-server.mjs (so TypeScript tests can import it). See the comments there.
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';

export const CHROMIUM_ARGS: string[];
export const DEFAULT_SETTINGS: Record<string, unknown>;

export interface E2eEnv {
  node24: string;
  codeServer: string;
  chromium: string;
  nvim: string;
  /** path of e2e-env.json */
  file: string;
  cacheDir: string;
}
/** Cache folder of scripts/setup-e2e.sh ($BUNDLE_LENS_CACHE or ~/.cache/bundle-lens). */
export function cacheDir(): string;
/** Reads <cache>/e2e-env.json; throws a message saying to run scripts/setup-e2e.sh if missing. */
export function readE2eEnv(): E2eEnv;
export function remoteUri(authority: string, fsPath: string): string;

export interface WorkbenchTarget {
  folder?: string;
  workspace?: string;
  file?: string;
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  extensionEnvironment?: Record<string, string>;
  /** default true */
  skipWelcome?: boolean;
}
export function workbenchUrl(origin: string, o?: WorkbenchTarget): string;
export function liveGroupMembers(pgid: number): number[];

export interface StartOptions {
  folder?: string;
  workspace?: string;
  file?: string;
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  installVsix?: string | string[];
  locale?: string;
  disableExtensions?: boolean;
  /** Keep workspace trust on: the folder opens untrusted, in Restricted Mode. */
  workspaceTrust?: boolean;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  /** default true: needed for payloads (extensionDevelopmentPath, tests) */
  smokeTestDriver?: boolean;
  /** default 60000 */
  startTimeoutMs?: number;
  keepDirs?: boolean;
  onOutput?: (line: string) => void;
}
export interface CodeServer {
  port: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** workbench URL for the folder/file/extension given to startCodeServer */
  url: string;
  workbenchUrl(o?: WorkbenchTarget): string;
  /** pid of the process-group leader (= the group id) */
  pid: number;
  baseDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** <user-data>/logs: exthost logs are in <session>/exthost1/remoteexthost.log */
  logsDir: string;
  /** code-server's stdout/stderr */
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  logTail(lines?: number): string;
  /** kills the whole process group (code-server, extension host, language servers), removes the temp dirs */
  stop(o?: { keepDirs?: boolean }): Promise<void>;
  set onOutput(fn: ((line: string) => void) | undefined);
}
export function startCodeServer(o?: StartOptions): Promise<CodeServer>;

export interface BrowserOptions {
  exposeFunctions?: Record<string, (...args: any[]) => unknown>;
  onConsole?: (msg: ConsoleMessage) => void;
  onPageError?: (err: Error) => void;
  /** default true: resolve once .monaco-workbench is rendered */
  waitForWorkbench?: boolean;
  /** default 60000 */
  timeoutMs?: number;
  locale?: string;
  /** default true */
  headless?: boolean;
  viewport?: { width: number; height: number };
}
export interface OpenBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}
export function openBrowser(url: string, o?: BrowserOptions): Promise<OpenBrowser>;

export interface RunOptions extends Omit<StartOptions, 'onOutput' | 'startTimeoutMs' | 'keepDirs' | 'smokeTestDriver'> {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  /** whole run; default $BUNDLE_LENS_E2E_TIMEOUT_MS or 300000 */
  timeoutMs?: number;
  /** default $BUNDLE_LENS_E2E_VERBOSE */
  verbose?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  signal?: AbortSignal;
}
/** The tests' exit code (0 = passed); 124 on timeout, 130 when aborted, 1 on other failures. */
export function runExtensionTests(o: RunOptions): Promise<number>;
