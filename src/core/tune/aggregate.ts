/**
 * The tuning aggregation as a consumer of the log analyzer's structured events (`onEvent`, see
 * `log/analyze.ts`): one pass over a log gives both the normal analysis and the tuning counts.
 * Feed it log by log: `startLog(file)`, the analyzer's events through `onEvent`, `endLog(analysis)`;
 * then `result()`. Logs are grouped into sets by folder (a version folder is a folder; BRIEF §2.1:
 * timelines of different versions are never mixed).
 *
 * Memory is bounded whatever the logs' size: Space-Saving tables (`topk.ts`) for processes, files,
 * folders, extensions and the folder tree; bucketed timelines (`timeline.ts`); one pending file
 * event per thread (at most MAX_THREADS).
 *
 * Thread attribution *(an assumption)*: the connector writes the lines about one file event on the
 * thread that logged it, right after it (as in the public tools' view of the log). So a file event
 * is held until its thread's next file event (or 1024 file events later, or the log's end), and
 * meanwhile an exclusion hit for the same path marks it excluded, and engine, cloud and cache lines
 * count as its process's follow-up work.
 */
import type { LogAnalysis, LogEvent } from '../log/analyze';
import type { LogEventKind } from '../log/events';
import { rotationIndex, stitchLogs, type StitchedFile } from '../log/stitch';
import { versionFolderOf } from '../log/rules';
import { ordinal, parseLogTime, type LogTime } from '../log/year';
import { ExclusionMatcher } from './exclusions';
import { csidlPrefix, extensionOf, protectedProcessReason, stripLongPrefix } from './paths';
import { detach } from '../text/lines';
import { coreText, englishText, type CoreText } from '../text';
import { suggest } from './suggest';
import { LogTimeline, MAX_BUCKETS, SetTimeline, type BucketField } from './timeline';
import { SpaceSaving, type HeavyEntry } from './topk';
import type { TopItem, TuneSet, TuneTotals } from './types';

/** Space-Saving capacities: counts are exact below them; beyond, see `topk.ts` for the bounds. */
export const BOUNDS = {
  processes: 4096,
  files: 8192,
  folders: 8192,
  extensions: 2048,
  /** Folder prefixes in CSIDL form (every folder of a path, up to TREE_DEPTH levels), for suggestions. */
  folderTree: 8192,
  buckets: MAX_BUCKETS,
} as const;
/** Folder levels below the root the tree counts (deeper folders count at this level). */
export const TREE_DEPTH = 8;
/** Threads with a pending file event (more: the oldest is counted at once). */
const MAX_THREADS = 4096;
/** A pending file event is counted at most this many file events after it (see the header). */
const PENDING_AGE = 1024;
/** Folders whose tree keys are cached, per generation (two generations: see TreeKeys). */
const TREE_KEY_CACHE = 4096;
/** Folders of unmatched exclusion hits kept. */
const UNMATCHED_BOUND = 1024;

const FIELD: Partial<Record<LogEventKind, BucketField>> = {
  'file.event': 'fileEvents',
  'file.inner-scan': 'innerScans',
  'engine.scan': 'engine',
  'engine.spero': 'engine',
  'engine.ethos': 'engine',
  'cloud.lookup': 'cloud',
  'cache.hit': 'cache',
  'exclusion.hit': 'exclusionHits',
};

/** A time window bound, as parsed (`Mon DD HH:MM:SS`). */
type WindowTime = NonNullable<ReturnType<typeof parseLogTime>>;

/** A `from`/`to` value that is not `Mon DD HH:MM:SS`. */
export class TuneOptionError extends Error {
  constructor(
    readonly field: 'from' | 'to' | 'top',
    readonly value: string,
  ) {
    super(`${field}: ${value}`);
    this.name = 'TuneOptionError';
  }
}

export interface Window {
  from?: WindowTime;
  to?: WindowTime;
}

export function parseWindow(from: string | undefined, to: string | undefined): Window | undefined {
  const w: Window = {};
  if (from !== undefined) {
    const t = parseLogTime(from);
    if (!t || !possibleDate(t)) throw new TuneOptionError('from', from);
    w.from = t;
  }
  if (to !== undefined) {
    const t = parseLogTime(to);
    if (!t || !possibleDate(t)) throw new TuneOptionError('to', to);
    w.to = t;
  }
  // `to` before `from` on the calendar: a window across the new year (Dec 31 23:30 → Jan 01 00:30),
  // unless it would then last longer than NEW_YEAR_SPAN: a reversed window, refused.
  if (w.from && w.to) {
    const gap = ordinal({ ...w.from, yearOffset: 0 }) - ordinal({ ...w.to, yearOffset: 0 });
    if (gap > 0 && YEAR - gap > NEW_YEAR_SPAN) throw new TuneOptionError('to', to!);
  }
  return w.from || w.to ? w : undefined;
}

/** Days of each month (February with the 29th: the year is not known). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether a bound's day exists (no `Feb 30`, `Apr 31`). */
function possibleDate(t: WindowTime): boolean {
  return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= MONTH_DAYS[t.month - 1]!;
}

const YEAR = 365 * 86400;
/** The longest window that may cross the new year with `to` before `from` on the calendar. */
const NEW_YEAR_SPAN = 31 * 86400;
/** How far before a set's first event a bound may lie and still mean that year. */
const BEFORE_START_SLACK = 31 * 86400;
/** How far a rotated log's first event may lie before the previous log's last one (overlap). */
const ROTATION_OVERLAP = 86400;

/**
 * Places the window on a set's clock (the log writes no year), once per set, from its first event
 * (`first`, its year offset kept): `to` at its first occurrence from a month before that on (the
 * year before included: `Dec 28` for a log that starts on `Jan 01`), then `from` at its last
 * occurrence at or before `to`. With `from` only, `from` is placed as `to` would be. A window across
 * the new year then holds in every rotated log of the set (see TuneCollector: each log's clock is
 * moved onto the set's).
 */
export function placeWindow(first: LogTime, w: Window): { lo: number; hi: number } {
  const minimum = ordinal(first) - BEFORE_START_SLACK;
  const at = (t: WindowTime, yearOffset: number) => ordinal({ month: t.month, day: t.day, seconds: t.seconds, yearOffset });
  const firstFrom = (t: WindowTime) => {
    let y = first.yearOffset - 2;
    while (at(t, y) < minimum) y++;
    return at(t, y);
  };
  if (w.to) {
    const hi = firstFrom(w.to);
    if (!w.from) return { lo: -Infinity, hi };
    let y = Math.round(hi / YEAR) + 1;
    while (at(w.from, y) > hi) y--;
    return { lo: at(w.from, y), hi };
  }
  return { lo: w.from ? firstFrom(w.from) : -Infinity, hi: Infinity };
}

interface Pending {
  live: boolean;
  seq: number;
  file: string;
  fileLower: string;
  process: string;
  processLower: string;
  ext: string;
  policy: boolean;
  log: boolean;
  work: number;
}

interface SetState {
  folder: string;
  version?: string;
  /** Logs read to their end (`analysis`), or partially (`partial`: why the read stopped, `partialText` as a sentence). */
  logs: Array<{ file: string; analysis?: LogAnalysis; partial?: string; partialText?: CoreText; fileEvents: number; debug: boolean }>;
  totals: TuneTotals;
  processes: SpaceSaving;
  files: SpaceSaving;
  folders: SpaceSaving;
  extensions: SpaceSaving;
  tree: SpaceSaving;
  unmatched: SpaceSaving;
  timeline: SetTimeline;
  /** File events outside the window. */
  outside: number;
  /** The window on the set's clock (placed at the set's first event). */
  window?: { lo: number; hi: number };
  /** The set's clock at its latest event so far (to move the next rotated log's clock onto it). */
  lastAt?: number;
  usage?: { events: Float64Array; only: Float64Array };
}

interface LogState {
  set: SetState;
  file: string;
  /** Seconds added to this log's clock to read it on its set's (whole years: set at its first event). */
  shift?: number;
  timeline: LogTimeline;
  pending: Map<number, Pending>;
  fileEvents: number;
  /** Tuning events (debug lines) seen in this log, window or not. */
  seen: number;
}

function folderKey(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? '' : file.slice(0, i);
}

interface TreeKey {
  /** The folder's key in the tree (CSIDL form, lower case). */
  key: string;
  /** Where this folder ends in the literal path. */
  literalEnd: number;
}

const NO_KEYS: readonly TreeKey[] = Object.freeze([]);

/**
 * The tree keys of folders (lower case): the folder and each folder above it, below the root, up to
 * TREE_DEPTH of them. Built from the parent's (cached) keys, so a new folder under a busy one costs
 * one key. Two generations bound the cache: when the current one is full it becomes the previous
 * one, and what is used again is carried over.
 */
export class TreeKeys {
  private current = new Map<string, readonly TreeKey[]>();
  private previous = new Map<string, readonly TreeKey[]>();

  constructor(private readonly bound = TREE_KEY_CACHE) {}

  of(folderLower: string): readonly TreeKey[] {
    let keys = this.current.get(folderLower);
    if (keys !== undefined) return keys;
    keys = this.previous.get(folderLower);
    if (keys === undefined) keys = this.build(folderLower);
    if (this.current.size >= this.bound) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(detach(folderLower), keys);
    return keys;
  }

  private build(folder: string): readonly TreeKey[] {
    const c = csidlPrefix(folder);
    // Where the root ends: the CSIDL name's folder, `\\server\share`, or the drive.
    let rootEnd: number;
    if (c) rootEnd = c.length;
    else if (folder.startsWith('\\\\')) {
      const server = folder.indexOf('\\', 2);
      rootEnd = server < 0 ? folder.length : folder.indexOf('\\', server + 1);
      if (rootEnd < 0) rootEnd = folder.length;
    } else {
      rootEnd = folder.indexOf('\\');
      if (rootEnd < 0) rootEnd = folder.length;
    }
    if (folder.length <= rootEnd) return NO_KEYS; // a root is never counted
    const cut = folder.lastIndexOf('\\');
    const parent = cut <= rootEnd ? NO_KEYS : this.of(folder.slice(0, cut));
    if (parent.length >= TREE_DEPTH) return parent;
    return [...parent, { key: detach(c ? c.lowerName + folder.slice(c.length) : folder), literalEnd: folder.length }];
  }
}

/**
 * A table's `n` largest entries whose count means something: an entry that replaced another
 * (`error` > 0) is listed only when its guaranteed count (`count - error`) is at least 1 and reaches
 * the table's floor (else it may be any of the many light values: "1026 (at least 1)").
 */
export function meaningful(table: SpaceSaving, n: number): HeavyEntry[] {
  if (table.replacements === 0) return table.top(n);
  const floor = Math.max(1, table.floor);
  const out: HeavyEntry[] = [];
  for (const e of table.top(table.size)) {
    if (e.error > 0 && e.count - e.error < floor) continue;
    out.push(e);
    if (out.length >= n) break;
  }
  return out;
}

export interface CollectorOptions {
  window?: Window;
  /** The policy's exclusions, when a policy was read. */
  matcher?: ExclusionMatcher;
  /** Entries per top list (default 10). */
  top?: number;
}

export class TuneCollector {
  private readonly sets = new Map<string, SetState>();
  private log: LogState | undefined;
  private readonly window: Window | undefined;
  private readonly matcher: ExclusionMatcher | undefined;
  private readonly top: number;
  private seq = 0;
  private readonly scratch: number[] = [];
  private readonly treeKeys = new TreeKeys();

  constructor(options: CollectorOptions = {}) {
    this.window = options.window;
    this.matcher = options.matcher;
    this.top = options.top ?? 10;
  }

  /** Starts a log (`file` relative to the bundle root: its folder chooses the set). */
  startLog(file: string): void {
    if (this.log) throw new Error('startLog: the previous log was not ended');
    const key = folderKey(file);
    let set = this.sets.get(key);
    if (!set) {
      set = {
        folder: key,
        logs: [],
        totals: { fileEvents: 0, unparsed: 0, excludedByPolicy: 0, excludedByLog: 0, excluded: 0, innerScans: 0, engine: 0, cloud: 0, cache: 0, exclusionHits: 0, distinct: { processes: 0, files: 0, folders: 0, extensions: 0 } },
        processes: new SpaceSaving(BOUNDS.processes),
        files: new SpaceSaving(BOUNDS.files),
        folders: new SpaceSaving(BOUNDS.folders),
        extensions: new SpaceSaving(BOUNDS.extensions),
        tree: new SpaceSaving(BOUNDS.folderTree),
        unmatched: new SpaceSaving(UNMATCHED_BOUND),
        timeline: new SetTimeline(),
        outside: 0,
      };
      const version = versionFolderOf(file);
      if (version) set.version = version;
      if (this.matcher) {
        const n = this.matcher.compiled.length;
        set.usage = { events: new Float64Array(n), only: new Float64Array(n) };
        set.totals.exclusionHitsUnmatched = 0;
      }
      this.sets.set(key, set);
    }
    this.log = { set, file, timeline: new LogTimeline(), pending: new Map(), fileEvents: 0, seen: 0 };
  }

  /** The analyzer's listener (`AnalyzeOptions.onEvent`). */
  readonly onEvent = (e: LogEvent): void => {
    const log = this.log;
    if (log === undefined) return;
    if (FIELD[e.kind] !== undefined) log.seen++;
    if (this.window) {
      const set = log.set;
      if (log.shift === undefined) {
        // Rotated logs come oldest first (tunePath): this one starts after the previous one ended.
        let shift = 0;
        const start = ordinal(e.time);
        if (set.lastAt !== undefined) while (start + shift < set.lastAt - ROTATION_OVERLAP) shift += YEAR;
        log.shift = shift;
        set.window ??= placeWindow(e.time, this.window);
      }
      const at = ordinal(e.time) + log.shift;
      if (set.lastAt === undefined || at > set.lastAt) set.lastAt = at;
      const field = FIELD[e.kind];
      if (field === undefined) return;
      if (at < set.window!.lo || at > set.window!.hi) {
        if (field === 'fileEvents') set.outside++;
        return;
      }
    }
    const field = FIELD[e.kind];
    if (field === undefined) return;
    log.timeline.add(e.time, field);
    switch (field) {
      case 'fileEvents':
        this.onFile(log, e);
        return;
      case 'exclusionHits':
        this.onHit(log, e);
        return;
      default: {
        log.set.totals[field]++;
        const p = log.pending.get(e.thread);
        if (p !== undefined && p.live) p.work++;
      }
    }
  };

  /** Ends the current log: pending events are counted, its timeline joins its set's. */
  endLog(analysis: LogAnalysis): void {
    const log = this.log;
    if (!log) throw new Error('endLog: no log was started');
    for (const p of log.pending.values()) if (p.live) this.commit(log, p);
    log.set.timeline.merge(log.timeline, analysis.year?.baseYear);
    log.set.logs.push({ file: log.file, analysis, fileEvents: log.fileEvents, debug: analysis.debug || log.seen > 0 });
    this.log = undefined;
  }

  /**
   * Ends a log that could not be read to its end (`reason`): its events so far stay counted and the
   * log is listed as read partially (its debug state from the events seen; not in the timeline: its
   * year is not known). Returns false when nothing of it was seen (the caller lists it as unreadable).
   */
  abortLog(reason: string | CoreText = coreText('not read to its end')): boolean {
    const log = this.log;
    if (!log) return false;
    this.log = undefined;
    for (const p of log.pending.values()) if (p.live) this.commit(log, p);
    if (log.seen === 0) {
      if (log.set.logs.length === 0) this.sets.delete(log.set.folder);
      return false;
    }
    if (typeof reason === 'string') log.set.logs.push({ file: log.file, partial: reason, fileEvents: log.fileEvents, debug: true });
    else log.set.logs.push({ file: log.file, partial: englishText(reason), partialText: reason, fileEvents: log.fileEvents, debug: true });
    return true;
  }

  private onFile(log: LogState, e: LogEvent): void {
    const rawFile = e.groups['file'];
    const rawProcess = e.groups['process'];
    if (!rawFile || !rawProcess) {
      // A file event the analyzer could not split into file and process: counted, not attributed.
      log.set.totals.fileEvents++;
      log.set.totals.unparsed = (log.set.totals.unparsed ?? 0) + 1;
      log.fileEvents++;
      return;
    }
    let p = log.pending.get(e.thread);
    if (p !== undefined) {
      if (p.live) this.commit(log, p);
    } else {
      if (log.pending.size >= MAX_THREADS) {
        this.sweep(log, Infinity);
        log.pending.clear();
      }
      p = { live: false, seq: 0, file: '', fileLower: '', process: '', processLower: '', ext: '', policy: false, log: false, work: 0 };
      log.pending.set(e.thread, p);
    }
    const seq = ++this.seq;
    p.live = true;
    p.seq = seq;
    p.file = stripLongPrefix(rawFile);
    p.fileLower = p.file.toLowerCase();
    p.process = stripLongPrefix(rawProcess);
    p.processLower = p.process.toLowerCase();
    p.ext = extensionOf(p.fileLower);
    p.log = false;
    p.work = 0;
    p.policy = false;
    const m = this.matcher;
    const usage = log.set.usage;
    if (m !== undefined && usage !== undefined) {
      const out = this.scratch;
      out.length = 0;
      m.matchFile(p.fileLower, p.ext, out);
      const pm = m.matchProcess(p.processLower);
      let stopping = out.length;
      let only = out.length === 1 ? out[0]! : -1;
      for (const i of out) usage.events[i]!++;
      for (const i of pm.indices) {
        usage.events[i]!++;
        if (m.compiled[i]!.fileScan) {
          stopping++;
          only = i;
        }
      }
      if (stopping === 1 && only >= 0) usage.only[only]!++;
      p.policy = stopping > 0;
    }
    if ((seq & (PENDING_AGE - 1)) === 0) this.sweep(log, seq - PENDING_AGE);
  }

  private onHit(log: LogState, e: LogEvent): void {
    const t = log.set.totals;
    t.exclusionHits++;
    const raw = e.groups['path'];
    if (!raw) return;
    const path = stripLongPrefix(raw);
    const lower = path.toLowerCase();
    const p = log.pending.get(e.thread);
    if (p !== undefined && p.live && p.fileLower === lower) p.log = true;
    const m = this.matcher;
    if (m === undefined) return;
    const out = this.scratch;
    out.length = 0;
    if (m.matchFile(lower, extensionOf(lower), out) > 0 || m.matchProcess(lower).indices.length > 0) return;
    t.exclusionHitsUnmatched = (t.exclusionHitsUnmatched ?? 0) + 1;
    const cut = lower.lastIndexOf('\\');
    const folder = cut < 0 ? lower : lower.slice(0, cut);
    if (!log.set.unmatched.bump(folder, true)) log.set.unmatched.insert(folder, cut < 0 || lower.length !== path.length ? folder : path.slice(0, cut), true);
  }

  /** Counts the pending events older than `seq` (all of them with Infinity). */
  private sweep(log: LogState, seq: number): void {
    for (const p of log.pending.values()) if (p.live && p.seq <= seq) this.commit(log, p);
  }

  private commit(log: LogState, p: Pending): void {
    p.live = false;
    const set = log.set;
    const t = set.totals;
    const excluded = p.policy || p.log;
    t.fileEvents++;
    log.fileEvents++;
    if (p.policy) t.excludedByPolicy++;
    if (p.log) t.excludedByLog++;
    if (excluded) t.excluded++;
    if (!set.processes.bump(p.processLower, excluded, p.work)) set.processes.insert(p.processLower, p.process, excluded, p.work);
    if (!set.files.bump(p.fileLower, excluded)) set.files.insert(p.fileLower, p.file, excluded);
    if (!set.extensions.bump(p.ext, excluded)) set.extensions.insert(p.ext, p.ext, excluded);
    const cut = p.fileLower.lastIndexOf('\\');
    if (cut > 0) {
      const sameLength = p.file.length === p.fileLower.length;
      const folderLower = p.fileLower.slice(0, cut);
      if (!set.folders.bump(folderLower, excluded)) set.folders.insert(folderLower, sameLength ? p.file.slice(0, cut) : folderLower, excluded);
      if (!excluded) this.addToTree(set.tree, folderLower, sameLength ? p.file : p.fileLower);
    }
    // Strings of the event stay only in the tables (copied there): release the chunk's slices.
    p.file = p.fileLower = p.process = p.processLower = '';
  }

  /**
   * Counts a folder and each folder above it (below the root, up to TREE_DEPTH levels) in CSIDL form
   * (`c:\users\jdoe\appdata\local\x` → `csidl_local_appdata\x`), so folders of every user add up.
   * A folder's keys are cached (`TreeKeys`): the same key strings come back, whose hashes V8 keeps,
   * so a busy folder costs one hash, not one per level.
   */
  private addToTree(tree: SpaceSaving, folderLower: string, fileDisplay: string): void {
    // The entry keeps the literal folder (as first seen); its CSIDL form is rebuilt from it (suggest.ts).
    for (const k of this.treeKeys.of(folderLower)) if (!tree.bump(k.key, false)) tree.insert(k.key, fileDisplay.slice(0, k.literalEnd), false, 0, true);
  }

  /** The sets, newest version first (as stitched), each with its top lists and suggestions. */
  result(): TuneSet[] {
    const out: TuneSet[] = [];
    for (const set of this.sets.values()) if (set.logs.length > 0) out.push(this.setResult(set));
    return out;
  }

  private setResult(set: SetState): TuneSet {
    const full = set.logs.filter((l): l is typeof l & { analysis: LogAnalysis } => l.analysis !== undefined);
    const [stitched] = stitchLogs(full.map((l) => ({ file: l.file, analysis: l.analysis })));
    const byFile = new Map(set.logs.map((l) => [l.file, l]));
    const t = set.totals;
    const debug = set.logs.some((l) => l.debug);
    // Logs read partially have no analysis to stitch: placed by their rotation (oldest first).
    const files: StitchedFile[] = [...(stitched?.files ?? [])];
    for (const l of set.logs) {
      if (l.analysis) continue;
      const rotation = rotationIndex(l.file.slice(l.file.lastIndexOf('/') + 1));
      const at = files.findIndex((f) => f.rotation < rotation);
      files.splice(at < 0 ? files.length : at, 0, { file: l.file, rotation });
    }
    const status: TuneSet['status'] = !debug ? 'not-debug' : t.fileEvents > 0 ? 'ok' : set.outside > 0 ? 'window-empty' : 'no-file-events';
    const approximate = [set.processes, set.files, set.folders, set.extensions, set.tree].some((s) => s.replacements > 0);
    // Beyond a table's size the number of distinct values is not known: "more than" its size.
    t.distinct = { processes: set.processes.size, files: set.files.size, folders: set.folders.size, extensions: set.extensions.size };
    const more = (['processes', 'files', 'folders', 'extensions'] as const).filter((k) => set[k].replacements > 0);
    if (more.length > 0) t.distinctMore = more;
    else delete t.distinctMore;
    const result: TuneSet = {
      folder: set.folder,
      status,
      logs: files.map((f) => {
        const l = byFile.get(f.file);
        const out: TuneSet['logs'][number] = { ...f, debug: l?.debug ?? false, fileEvents: l?.fileEvents ?? 0 };
        if (l?.partial !== undefined) out.partial = l.partial;
        if (l?.partialText !== undefined) out.partialText = l.partialText;
        return out;
      }),
      totals: t,
      processes: this.items(set.processes, t.fileEvents, 'process'),
      files: this.items(set.files, t.fileEvents, 'file'),
      folders: this.items(set.folders, t.fileEvents, 'folder'),
      extensions: this.items(set.extensions, t.fileEvents, 'extension'),
      timeline: set.timeline.result(this.top),
      suggestions: [],
      withheld: [],
      approximate,
    };
    if (set.version) result.version = set.version;
    if (stitched?.first) result.first = stitched.first;
    if (stitched?.last) result.last = stitched.last;
    if (stitched?.firstIso) result.firstIso = stitched.firstIso;
    if (stitched?.lastIso) result.lastIso = stitched.lastIso;
    if (stitched?.files.some((f) => f.overlapsPrevious)) result.overlapping = true;
    // Exclusion usage only where there are file events to match (else every exclusion would read "never matched").
    if (set.usage && t.fileEvents > 0) {
      result.exclusionUsage = [...set.usage.events].map((events, index) => ({ index, events, only: set.usage!.only[index]! }));
      result.unmatchedExclusionHits = meaningful(set.unmatched, this.top).map((e) => ({ value: e.display, count: e.count, error: e.error, share: t.exclusionHits > 0 ? e.count / t.exclusionHits : 0, excluded: e.count }));
    }
    if (status === 'ok') {
      const s = suggest({ processes: set.processes, tree: set.tree, totals: t, top: this.top, windowed: this.window !== undefined, matcher: this.matcher });
      result.suggestions = s.suggestions;
      result.withheld = s.withheld;
    }
    return result;
  }

  private items(table: SpaceSaving, fileEvents: number, kind: 'process' | 'file' | 'folder' | 'extension'): TopItem[] {
    return meaningful(table, this.top).map((e) => this.item(e, fileEvents, kind));
  }

  private item(e: HeavyEntry, fileEvents: number, kind: 'process' | 'file' | 'folder' | 'extension'): TopItem {
    const item: TopItem = { value: e.display, count: e.count, error: e.error, share: fileEvents > 0 ? e.count / fileEvents : 0, excluded: e.excluded };
    if (kind === 'process') {
      item.work = e.work;
      const reason = protectedProcessReason(e.key);
      if (reason) item.protected = reason;
    }
    const m = this.matcher;
    if (m) {
      const refs: number[] = [];
      if (kind === 'process') refs.push(...m.matchProcess(e.key).indices);
      else if (kind === 'folder') m.matchFolder(e.key, refs);
      else if (kind === 'file') m.matchFile(e.key, extensionOf(e.key), refs);
      else if (e.key) m.matchFile(`.${e.key}`, e.key, refs);
      if (refs.length > 0) item.exclusions = refs;
    }
    return item;
  }
}
