/**
 * The typed protocol between the extension and the language server: every custom request and
 * notification, in one place. Plain types only, so both sides (and tests) import it freely.
 */

/** Sent by the client as `initializationOptions`. */
import type { SliceOptions } from '../core/log/slice';

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
  /** Which playbook's report `markdown` leads with (default `tetra`); both diagnoses are returned. */
  playbook?: 'tetra' | 'isolation';
}

export interface FindingView {
  id: string;
  kind?: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  file: string;
  line: number;
  count: number;
  /** A short title (the fact without the next step); set by Diagnose. */
  title?: string;
  /** Every occurrence, the finding's own first, then the places that explain or repeat it; lines 1-based. Set by Diagnose. */
  evidence?: EvidenceView[];
  /** Checks or fixes to copy, with their titles. Set by Diagnose. */
  actions?: Array<{ id: string; title: string; command: string }>;
}

/** A place that supports a finding: file relative to the bundle root, 1-based line, the line's (redacted, bounded) text. */
export interface EvidenceView {
  file: string;
  line: number;
  text: string;
}

/** A place in a bundle: file relative to its root, 1-based line when the fact sits on one. */
export interface PlaceView {
  file: string;
  line?: number;
}

/**
 * What a bundle holds (plain data, 1-based lines): platform, connector versions, logs with their
 * time span and whether they are in debug, the connector's XML files, the registry export, the
 * command outputs recognised by content, and what is missing for the case with how to collect it.
 */
export interface InventoryView {
  platform?: 'windows' | 'macos' | 'linux';
  /** Where the platform was read (the strongest hint). */
  platformFrom?: PlaceView & { via: string };
  /** Newest first. */
  connectorVersions: Array<{ version: string; sources: Array<PlaceView & { via: string }> }>;
  logs: Array<{
    file: string;
    version?: string;
    /** First and last entry: ISO with the year where it is known (`2026-08-04T07:30:23`), else as written. */
    first?: string;
    last?: string;
    debug: boolean;
    entries: number;
    attempts: number;
    failures: number;
    updates: number;
  }>;
  localXml: string[];
  policyXml: { files: string[]; readable: boolean };
  registryExports: string[];
  installDir?: string;
  outputs: Array<{ id: string; name: string; file: string; line: number }>;
  tetraUpdateServer: { host: string; via: 'policy' | 'console' | 'default'; file?: string; line?: number };
  tetraVersions: Array<{ version: number; via: string; file: string; line: number }>;
  availableTetraVersion?: { version: number; time?: string; file: string; line: number };
  /** `text`: what is missing and why it matters; `how`: the command to run (or, with `where: "console"`, the console page). */
  missing: Array<{ id: string; text: string; how: string; where: 'endpoint' | 'console'; args: Record<string, string | number> }>;
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
  /** What the bundle holds and lacks (when the analysis read a bundle or a case folder). */
  inventory?: InventoryView;
  /** BRIEF §4.1's decision tree walked over the bundle (Diagnose TETRA Failure). */
  tetra: DiagnosisView;
  /** BRIEF §4.2's (Diagnose Isolation). */
  isolation: DiagnosisView;
}

/** A diagnosis in words (rendered by the server for the display language); lines 1-based. */
export interface DiagnosisView {
  playbook: 'tetra' | 'isolation';
  verdict: string;
  /** The verdict as a short title, and what it means with the decisive value. */
  title: string;
  summary: string;
  evidence: EvidenceView[];
  steps: Array<{
    id: string;
    status: 'pass' | 'fail' | 'unknown';
    title: string;
    message: string;
    evidence: EvidenceView[];
    /** For a step without evidence: which file or command output would settle it, and how to get it. */
    settle?: { text: string; how: string };
  }>;
  /** The next steps: a command to run (the bundle's values filled in) or a setting to change. */
  actions: Array<{ id: string; title: string; command?: string }>;
}

// --- The case trees (Endpoint, Findings, Codes, Timeline) -----------------------------------------

/** `bundleLens/bundleView`: what the trees show for one bundle on disk (folder or archive). */
export const BundleViewRequestMethod = 'bundleLens/bundleView';

export interface BundleViewParams {
  /** The folder or archive on disk (read through the server's per-bundle cache). */
  path: string;
}

/** An item of a tree: its words (localised), and where it comes from (1-based line). */
export interface CaseItemView {
  label: string;
  description?: string;
  tooltip?: string;
  file?: string;
  line?: number;
}

export interface BundleView {
  subject: string;
  /** `folder`, `zip`, `7z`, or a single file's kind. */
  kind: string;
  counts: { error: number; warning: number; information: number };
  /** Every finding with its evidence, errors first; `area` is the id's first part (`tetra`, `tls`, …), `areaLabel` its name. */
  findings: Array<FindingView & { area: string; areaLabel: string }>;
  endpoint: Array<CaseItemView & { id: string; value: string; places: Array<{ file: string; line: number }> }>;
  codes: Array<CaseItemView & { text: string; count: number; occurrences: EvidenceView[] }>;
  timeline: Array<CaseItemView & { kind: string; time: string; outcome: 'ok' | 'failed' | 'info' }>;
  timelineTotal: number;
  /** For the trees' empty states: what the bundle lacks. */
  hints: { logs: number; debugLogs: number };
  /** The verdicts, for the Endpoint tree's summary lines. */
  verdicts: { tetra: { verdict: string; title: string }; isolation: { verdict: string; title: string } };
}

/** `bundleLens/ready` (server → client notification): the server has initialised. */
export const ServerReadyNotificationMethod = 'bundleLens/ready';

export interface ServerReadyParams {
  version: string;
}

// --- Logs VS Code will not hand to the server (over 50 MB) ------------------------------------

/**
 * `bundleLens/logSummary`: the server reads a connector log from disk by URI (any size, streamed),
 * publishes its findings as diagnostics for that URI (so the Problems panel shows them even though
 * VS Code never synchronises the document), and returns what the slice picker needs.
 */
export const LogSummaryRequestMethod = 'bundleLens/logSummary';

export interface LogSummaryParams {
  /** A `file:` URI (other schemes are refused with a clear message). */
  uri: string;
}

export interface LogSummary {
  uri: string;
  bytes: number;
  lines: number;
  entries: number;
  /** `Aug 04 07:30:23`, as written (the log has no year). */
  first?: string;
  last?: string;
  /** Year-resolved ISO times where the year could be inferred. */
  firstIso?: string;
  lastIso?: string;
  /** Components (`TetraUpdateInterface`, `Event`, …) by number of entries, most first (bounded). */
  components: Array<{ name: string; count: number }>;
  /** Entries per level marker (`ERROR`, `WARNING`, …). */
  levels: Record<string, number>;
  /** True when the log has debug-only lines. */
  debug: boolean;
  findings: FindingView[];
}

/** The URI scheme of the read-only slice documents the extension opens. */
export const SLICE_SCHEME = 'bundle-lens-slice';

/** `bundleLens/logSlice`: a filtered, bounded extract of a log on disk. */
export const LogSliceRequestMethod = 'bundleLens/logSlice';

/** The filter of a slice: core's options, as the client sends them (one definition, in core). */
export type SliceFilter = SliceOptions;

export interface LogSliceParams {
  /** The log on disk (`file:` URI). */
  uri: string;
  /** The URI the client will show the slice under; the server remembers its line map for it. */
  sliceUri: string;
  filter: SliceFilter;
}

export interface LogSliceResult {
  /** The slice: whole entries copied verbatim, hunks separated by one empty line. */
  text: string;
  /** For each line of `text`, its zero-based line in the original file (-1 for a separator). */
  lines: number[];
  /** Entries that matched the filter (context not counted). */
  matched: number;
  /** True when `maxLines` cut the slice short. */
  truncated: boolean;
  /** Lines of the original file that were read. */
  scannedLines: number;
}

// --- Bundles: the whole folder analysed, its findings on every file ----------------------------

/**
 * `bundleLens/analyzeBundle`: analyse a folder on disk as one bundle (logs, local.xml, policy.xml,
 * command outputs) and publish its findings as diagnostics on each file — the Problems panel shows
 * the whole bundle, open or not. A file the editor has open gets its own diagnostics instead (its
 * bundle ones come back when it closes). Cancellable; `$/progress` is not used: the client shows
 * its own progress while the request runs.
 */
export const AnalyzeBundleRequestMethod = 'bundleLens/analyzeBundle';

export interface AnalyzeBundleParams {
  /** A `file:` URI of a folder, or of a file (a `.zip`/`.7z` bundle is read in place). */
  uri: string;
  /**
   * Where the bundle's files are shown, when not at their `file:` URIs: a base URI ending in `/`
   * (a mounted archive, `bundle-lens-archive://<id>/`). Each finding is then published on
   * `publishAs` + its file's path inside the bundle (segments percent-encoded as VS Code does).
   */
  publishAs?: string;
  /** Read the bundle again even when it looks unchanged (an engineer's explicit Analyze Bundle). */
  fresh?: boolean;
}

export interface AnalyzeBundleResult {
  uri: string;
  files: number;
  /** Files that received diagnostics. */
  filesWithFindings: number;
  findings: { error: number; warning: number; information: number };
  /** Parts that could not be read. */
  unreadable: number;
  /** The bundle had not changed since its last analysis, which was reused. */
  cached: boolean;
}

// --- Performance tuning (issue 9) ------------------------------------------------------------------

/** `bundleLens/tune`: the tuning report of a bundle on disk (folder, archive or one log). */
export const TuneRequestMethod = 'bundleLens/tune';

export interface TuneParams {
  path: string;
  /** Time window as the log writes times (`Mar 03 10:00:00`), inclusive. */
  from?: string;
  to?: string;
  /** Entries per list (default 10). */
  top?: number;
}

/** One item of the Performance tree: words (localised), and where it opens when it names a policy line. */
export interface TuneItemView {
  label: string;
  description?: string;
  tooltip?: string;
  /** A command text to copy (collect a debug log). */
  copy?: string;
  file?: string;
  line?: number;
}

export interface TuneView {
  subject: string;
  /** The folder the items' files are relative to (for a single log: the folder holding the policy and the version folders). */
  base: string;
  status: string;
  /** The status in words (why there is nothing to list, or what was counted). */
  statusText: string;
  /** One per connector version folder (never mixed), newest first. */
  sets: Array<{
    label: string;
    description: string;
    sections: Array<{ id: string; label: string; items: TuneItemView[] }>;
  }>;
  /** For a log without debug lines: how to collect one. */
  collect: TuneItemView[];
  /** The whole report, rendered for the display language. */
  markdown: string;
}
