/**
 * The performance tuning report's result (BRIEF §4.3, issue 9): structured data only — ids,
 * counts, paths as written, arguments. The renderer (`shared/render-tune.ts`) words it.
 */
import type { InputKind } from '../bundle/inputs';
import type { StitchedFile } from '../log/stitch';
import type { FindingAction } from '../types';
import type { CoreText, Unreadable } from '../text';
import type { ExclusionShape } from './exclusions';
import type { ProtectedFolderReason, ProtectedProcessReason } from './data';

/**
 * What the report can say:
 *   - `ok`: file events were counted;
 *   - `no-logs`: no connector log was found;
 *   - `not-debug`: logs without debug lines (collect one: `collect`);
 *   - `no-file-events`: debug lines, but no `Event::HandleCreation` file event;
 *   - `window-empty`: file events, none inside the time window.
 */
export type TuneStatus = 'ok' | 'no-logs' | 'not-debug' | 'no-file-events' | 'window-empty';

export interface TuneOptions {
  /** Time window, `Mon DD HH:MM:SS` as the log writes it, inclusive (a leading year is accepted and ignored). */
  from?: string;
  to?: string;
  /** Entries per top list and suggestions (default 10, at most 1000). */
  top?: number;
}

/** Why an item is, or is not, excluded already. */
export interface ExclusionRefs {
  /** Indices into `TuneResult.policy.exclusions` that match the item itself. */
  exclusions?: number[];
}

/** One entry of a top list. */
export interface TopItem extends ExclusionRefs {
  /** As first written in the log (`\\?\` removed); for extensions, lower case without the dot ('' = none). */
  value: string;
  /** File events. With `error` > 0 an upper bound: the true count is at least `count - error`. */
  count: number;
  error: number;
  /** `count` over the set's file events (0..1). */
  share: number;
  /** Of `count`, file events already excluded (by the policy as read, or as the connector logged). */
  excluded: number;
  /** Processes: follow-up engine lines (scans, cloud look-ups, cache, SPERO/ETHOS) on the same thread (an estimate). */
  work?: number;
  /** Processes: why it is never suggested for exclusion. */
  protected?: ProtectedProcessReason | ProtectedFolderReason;
}

/** One bucket of the timeline: events from `start` for `TuneTimeline.bucketSeconds`. */
export interface TimeBucket {
  /** As the log writes it, to the minute: `Aug 04 07:30`. */
  start: string;
  /** `2022-08-04T07:30` when the year is known. */
  iso?: string;
  /** Every tuning event (file events, inner scans, engine, cloud, cache, exclusion hits). */
  total: number;
  fileEvents: number;
  engine: number;
  cloud: number;
  cache: number;
  exclusionHits: number;
  innerScans: number;
}

export interface TuneTimeline {
  /** 60 unless the span needed wider buckets to stay within the bound. */
  bucketSeconds: number;
  /** False when no log of the set gave a year (times then carry none). */
  yearKnown: boolean;
  /** Oldest first; only buckets with events. */
  buckets: TimeBucket[];
  /** The busiest buckets (by `total`), busiest first, `top` of them. */
  peaks: TimeBucket[];
  /** Events left out of the buckets: more days than the bound (counted in the totals still). */
  dropped?: number;
}

export type SuggestionCaution =
  /** A process exclusion stops the scan of every file this process writes. */
  | 'process-writes-unscanned'
  /** The process runs from a folder users can write to. */
  | 'user-writable-path'
  /** The folder is inside a user profile: anyone logged on can write there. */
  | 'user-profile-folder'
  /** Inside the Windows folder. */
  | 'system-area'
  /** Inside a temp folder. */
  | 'temp-area'
  /** Written with a CSIDL name that stands for every user's folder (unconfirmed). */
  | 'csidl-every-user'
  /** The count is approximate (bounded memory). */
  | 'count-approximate'
  /** Counted from a time window only. */
  | 'window-only';

export interface Suggestion {
  kind: 'process' | 'folder';
  /** The exclusion to add, as the policy would hold it (a process path, or a folder ending in `\`). */
  value: string;
  /** A literal path seen in the log, when `value` is written in CSIDL form. */
  example?: string;
  /** File events it would have removed (not excluded yet). */
  events: number;
  error: number;
  /** Of the set's file events not excluded yet (0..1). */
  share: number;
  /** Process exclusions: the mask to use (0 = file scan only, BRIEF §2.4). */
  mask?: number;
  cautions: SuggestionCaution[];
  /** Folders: narrower suggestions inside this one (it covers them). */
  narrower?: string[];
}

/** A heavy process or folder that is not suggested, and why. */
export interface Withheld {
  kind: 'process' | 'folder';
  value: string;
  events: number;
  reason: ProtectedProcessReason | ProtectedFolderReason;
}

/** How one of the policy's exclusions fares against the set's activity. */
export interface ExclusionUsage {
  /** Index into `TuneResult.policy.exclusions`. */
  index: number;
  /** File events it matched (path exclusions: the file; process exclusions: the process). */
  events: number;
  /** Among them, events it alone excluded (no other exclusion matched). */
  only: number;
}

export interface TuneTotals {
  /** `Event::HandleCreation` file events inside the window (the unparsed ones included). */
  fileEvents: number;
  /** Of them, file events whose file or process could not be read from the line (in no top list). */
  unparsed?: number;
  /** Of them, excluded by the policy as read (path, extension, or file-scan process exclusion). */
  excludedByPolicy: number;
  /** Of them, followed on their thread by the connector's own "is excluded" line for the same path. */
  excludedByLog: number;
  /** Excluded either way. */
  excluded: number;
  innerScans: number;
  engine: number;
  cloud: number;
  cache: number;
  exclusionHits: number;
  /** Exclusion hits (log) for a path no policy exclusion matches (policy read only). */
  exclusionHitsUnmatched?: number;
  /**
   * Distinct processes / files / folders / extensions seen: exact unless `distinctMore` names the
   * kind, then "more than" that number (the table's size: more distinct values than it holds).
   */
  distinct: { processes: number; files: number; folders: number; extensions: number };
  /** Kinds whose distinct count is "more than" `distinct[kind]` (the table overflowed). */
  distinctMore?: Array<'processes' | 'files' | 'folders' | 'extensions'>;
}

export interface TuneSet {
  /** The folder holding the logs ('' for the root), and its connector version (BRIEF §2.1: never mixed). */
  folder: string;
  version?: string;
  status: Exclude<TuneStatus, 'no-logs'>;
  /**
   * The set's logs, oldest first (stitched), with whether each has debug lines and its file events;
   * a log read partially with why (`partial` in English, `partialText` as a sentence for renderers).
   */
  logs: Array<StitchedFile & { debug: boolean; fileEvents: number; partial?: string; partialText?: CoreText }>;
  /** The logs' span (first and last entries), as written and with the year where known. */
  first?: string;
  last?: string;
  firstIso?: string;
  lastIso?: string;
  totals: TuneTotals;
  processes: TopItem[];
  files: TopItem[];
  folders: TopItem[];
  extensions: TopItem[];
  timeline: TuneTimeline;
  /** Per policy exclusion (same order as `TuneResult.policy.exclusions`); absent without a readable policy. */
  exclusionUsage?: ExclusionUsage[];
  /** Folders the connector logged as excluded that no policy exclusion matches (top, bounded). */
  unmatchedExclusionHits?: TopItem[];
  suggestions: Suggestion[];
  withheld: Withheld[];
  /** For a `not-debug` set: how to collect a debug log in this set's version folder. */
  collect?: FindingAction[];
  /** Two files of the set cover the same time (a copy?): counts may hold events twice. */
  overlapping?: boolean;
  /** Some counts are estimates: more distinct values than the bounds hold (see `TuneResult.bounds`). */
  approximate: boolean;
}

/** One exclusion of the policy, decoded, with how it is matched. */
export interface TuneExclusion {
  kind: 'path' | 'process' | 'other';
  value: string;
  mask?: number;
  maskMeaning?: Array<'file-scan' | 'child-processes' | 'spp' | 'map'>;
  unknownBits?: number;
  wildcardLeading: boolean;
  shape: ExclusionShape;
  /** Process exclusions: whether it stops file scans (mask 0/1). */
  fileScan?: boolean;
  /** Zero-based line of the item in the policy file. */
  line: number;
}

export interface TuneResult {
  root: string;
  /**
   * What every relative path of the result (logs, `policy.file`, `policy.others`, `unreadable`)
   * starts from: the folder tuned; for an archive, the archive (paths inside it); for a single log,
   * a folder holding both the log and the policy used (`AMP` for `AMP\8.1.7.21417\sfc.exe.log`
   * beside `AMP\policy.xml`), else the log's folder. Never a path leaving it (no `..`).
   */
  base: string;
  kind: InputKind;
  status: TuneStatus;
  top: number;
  window?: { from?: string; to?: string; yearIgnored?: boolean };
  sets: TuneSet[];
  policy: {
    status: 'read' | 'unreadable' | 'missing';
    file?: string;
    /** Readable policies besides the one used (a bundle may hold old copies). */
    others?: string[];
    exclusions: TuneExclusion[];
  };
  /** For `not-debug`: how to collect a debug log (BRIEF §2.2, §4.1 step 9). */
  collect?: FindingAction[];
  /** The bounds of the counting structures (Space-Saving capacities, timeline buckets). */
  bounds: { processes: number; files: number; folders: number; extensions: number; folderTree: number; buckets: number };
  /** Files or folders that could not be read, with the reason (in English, and as a sentence for renderers). */
  unreadable: Unreadable[];
}
