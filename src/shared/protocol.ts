/**
 * The typed protocol between the extension and the language server: every custom request and
 * notification, in one place. Plain types only, so both sides (and tests) import it freely.
 */

/** Sent by the client as `initializationOptions`. */
export interface InitializationOptions {
  /** `vscode.l10n.uri` of the extension's bundle for the display language, as a file system path. */
  l10nBundlePath?: string;
}

/** `bundleLens/diagnose`: analyse an open document or a file/folder on disk and report. */
export const DiagnoseRequestMethod = 'bundleLens/diagnose';

export interface DiagnoseParams {
  /** An open document's URI (preferred: the server uses its current text). */
  uri?: string;
  /** A file or folder path on disk (used when no document is given). */
  path?: string;
}

export interface FindingView {
  id: string;
  kind?: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  file: string;
  line: number;
  count: number;
}

export interface DiagnoseResult {
  /** What was analysed (a URI or a path). */
  subject: string;
  files: Array<{ file: string; kind: 'connector-log' | 'other'; lines: number; first?: string; last?: string }>;
  findings: FindingView[];
  /** Files or folders of the bundle that could not be read, with the reason. */
  unreadable: Array<{ file: string; reason: string }>;
  /** The whole report, rendered for the display language. */
  markdown: string;
}

/** `bundleLens/ready` (server → client notification): the server has initialised. */
export const ServerReadyNotificationMethod = 'bundleLens/ready';

export interface ServerReadyParams {
  version: string;
}
