import { detach, LineSplitter, type Line } from '../text/lines';
import { throwIfCancelled, NEVER_CANCELLED, type Cancellation, type Finding, type Range } from '../types';
import { componentOf, EntryAssembler, levelLength, positionInEntry, type LogEntry } from './entry';
import {
  DEBUG_ONLY_COMPONENTS,
  DEBUG_ONLY_EVENTS,
  ERROR_LEVELS,
  PATTERNS_BY_COMPONENT,
  PATTERNS_BY_PREFIX,
  REVOCATION_NEEDLES,
  REVOCATION_PATTERN,
  type EventPattern,
  type LogEventKind,
} from './events';
import { logFindings } from './rules';
import { anchorFromMessage, anchorFromReference, isoOf, ordinal, YearTracker, type LogTime, type YearAnchor } from './year';

/** A structured event, as handed to `onEvent` listeners (the tuning report, tests). */
export interface LogEvent {
  kind: LogEventKind;
  /** Zero-based line of the entry's header. */
  line: number;
  time: LogTime;
  thread: number;
  /** The pattern's named groups (file, process, status, type, …). */
  groups: Readonly<Record<string, string>>;
  /**
   * Where the pattern's value sits. Computed on first read (most listeners never read it): like
   * `entry`, read it during the callback. It is a getter, so `{ ...event }` does not copy it.
   */
  readonly range: Range;
  /** The whole entry: valid only during the callback (its strings may pin the read buffer). */
  entry: LogEntry;
}

/** A line kept as evidence: its place, its time and its (bounded) text. */
export interface LogMark {
  line: number;
  time: LogTime;
  /** As written, `Aug 04 07:30:23`. */
  timestamp: string;
  range: Range;
  text: string;
}

/** One TETRA update attempt: from its first update line to its `sig count` line. */
export interface UpdateAttempt {
  /** First and last line of the attempt (header lines; continuation lines included in `endLine`). */
  startLine: number;
  endLine: number;
  start: LogTime;
  end: LogTime;
  timestamp: string;
  /** `bUpdated = TRUE` seen. */
  updated: boolean;
  /** The status of the result line, or of the `Update failed with error` line when there is no result. */
  status?: number;
  state?: number;
  version?: number;
  sigCount?: number;
  /** The line a finding about this attempt points at (the status value). */
  mark?: LogMark;
}

export interface FailureGroup {
  status: number;
  count: number;
  first: LogMark;
  last: LogMark;
  marks: LogMark[];
}

export interface AvStat extends LogMark {
  engine: number;
  defs: number;
  status: number;
  firstFailure: string;
  lastSuccess: string;
}

/** Folding and outline: a clock hour of the log, and the long silences between entries. */
export interface TimeBlock {
  startLine: number;
  endLine: number;
  start: LogTime;
  timestamp: string;
  entries: number;
}

export interface TimeGap {
  /** The line of the first entry after the silence. */
  line: number;
  /** The line of the last entry before it. */
  previousLine: number;
  from: string;
  to: string;
  fromTime: LogTime;
  toTime: LogTime;
  seconds: number;
}

export interface LogAnalysis {
  lines: number;
  entries: number;
  /** Lines that are not part of any entry (before the first header, or garbage). */
  orphanLines: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  /** Year-resolved ISO times of the first and last entries, where the year could be inferred. */
  firstIso?: string;
  lastIso?: string;
  /** The year at offset 0 and how it was found; absent when the log gives no way to know. */
  year?: YearAnchor;
  /** Clock of the first and last entries (for stitching rotated files). */
  firstTime?: LogTime;
  lastTime?: LogTime;
  /** TETRA update attempts in log order (bounded; `attemptCount` is exact). */
  attempts: UpdateAttempt[];
  attemptCount: number;
  /** Failed attempts grouped by status (exact counts; bounded marks, first and last always kept). */
  failures: FailureGroup[];
  /** Attempts that updated (`bUpdated = TRUE`), and the last of them. */
  successCount: number;
  lastSuccess?: LogMark;
  /** `AVStat::CopyInternal … last err code - N` lines (bounded). */
  avstat: AvStat[];
  /** How many entries produced each event (exact). */
  eventCounts: Partial<Record<LogEventKind, number>>;
  /** `PublishEvent` type ids with their count and occurrences (bounded). */
  published: Array<{ type: number; count: number; marks: LogMark[] }>;
  /** Distinct remote IPv4 addresses of `NFMMemCache::Get: rip:` (bounded). */
  remoteAddresses: Array<{ address: string; count: number }>;
  /** Revocation failures (0x80092013) with their lines (bounded; `revocationCount` exact). */
  revocation: LogMark[];
  revocationCount: number;
  /** Entries with an ERROR/CRITICAL/FATAL marker. */
  errorEntries: number;
  /** Entries per component (`TetraUpdateInterface`, `Event`, …), most first, bounded. */
  components: Array<{ name: string; count: number }>;
  /** Entries per level marker (`ERROR`, `WARNING`, …). */
  levels: Record<string, number>;
  /** True when the log has debug-only lines (BRIEF §2.2). */
  debug: boolean;
  blocks: TimeBlock[];
  gaps: TimeGap[];
  findings: Finding[];
}

export interface AnalyzeOptions {
  /** The file name used in evidence (relative to the bundle root where there is one). */
  file?: string;
  /** The file's full path, when known: its version folder fills in commands (defaults to `file`). */
  path?: string;
  token?: Cancellation;
  /** A date at or after the log's last entry (file modification time, bundle date): anchors the year. */
  reference?: Date;
  /**
   * The text is an excerpt (a filtered slice of a larger log): rules that reason from what is
   * absent (no debug lines, no isolation stop) are not run, since the absence may be the filter's.
   */
  excerpt?: boolean;
  /** Called for every structured event as it streams past (the tuning report's input). */
  onEvent?: (event: LogEvent) => void;
}

/** How many events of each kind are kept (counts stay exact beyond it). */
export const MAX_KEPT_EVENTS = 10_000;
/** How many evidence marks one group keeps. */
export const MAX_MARKS = 50;
/** Evidence text is bounded. */
const MAX_EVIDENCE_TEXT = 300;
/** Distinct components counted, and reported. */
const MAX_COMPONENTS = 2000;
const MAX_COMPONENTS_REPORTED = 200;
const MAX_ADDRESSES = 1000;
const MAX_BLOCKS = 5000;
/** A silence at least this long is a gap in the outline. */
export const GAP_SECONDS = 30 * 60;
/** An attempt with no closing line ends when the log moves on this far. */
const ATTEMPT_TIMEOUT_SECONDS = 10 * 60;
/** Cancellation is checked every this many lines. */
const CHECK_EVERY = 2048;

function bounded(text: string): string {
  return detach(text.length > MAX_EVIDENCE_TEXT ? text.slice(0, MAX_EVIDENCE_TEXT) + '…' : text);
}

/** A pattern ready to run. */
interface Compiled {
  pattern: EventPattern;
  /** Decided by `prefix`/`literal` (debug noise): the expression only reads fields, for listeners. */
  byText: boolean;
  prefix: string | undefined;
  literal: string | undefined;
  /** Where `literal` is looked for: after the prefix. */
  literalFrom: number;
  /**
   * The expression without the `d` flag: positions cost on every match, and only marks (and
   * listeners that read `range`) need them.
   */
  plain: RegExp;
  /** Its events keep marks with a range (TETRA lines, PublishEvent, revocation): run with `d`. */
  marked: boolean;
  /** The event's slot in the analyzer's counts. */
  slot: number;
}

const MARKED_EVENTS: ReadonlySet<LogEventKind> = new Set<LogEventKind>(['tetra.start', 'tetra.init', 'tetra.error', 'tetra.result', 'tetra.version', 'tetra.avstat', 'publish', 'tls.revocation-offline']);

const compiled = new Map<EventPattern, Compiled>();
/** Event kinds in order of their first pattern: their slots in the counts. */
const KINDS: LogEventKind[] = [];
function compile(p: EventPattern): Compiled {
  let c = compiled.get(p);
  if (c === undefined) {
    const byText = p.prefix !== undefined || p.literal !== undefined;
    // Text-decided events are counted without running anything: they must be debug noise, whose
    // only record is their count (no marks).
    if (byText && (!DEBUG_ONLY_EVENTS.has(p.event) || MARKED_EVENTS.has(p.event))) throw new Error(`events: ${p.event} cannot be decided by text`);
    c = {
      pattern: p,
      byText,
      prefix: p.prefix,
      literal: p.literal,
      literalFrom: p.prefix?.length ?? 0,
      plain: new RegExp(p.re.source, p.re.flags.replace('d', '')),
      marked: MARKED_EVENTS.has(p.event),
      slot: KINDS.includes(p.event) ? KINDS.indexOf(p.event) : KINDS.push(p.event) - 1,
    };
    compiled.set(p, c);
  }
  return c;
}
const COMPILED_BY_COMPONENT: ReadonlyMap<string, readonly Compiled[]> = new Map([...PATTERNS_BY_COMPONENT].map(([name, ps]) => [name, ps.map(compile)]));
const COMPILED_BY_PREFIX: ReadonlyArray<{ prefix: string; patterns: readonly Compiled[] }> = PATTERNS_BY_PREFIX.map((p) => ({ prefix: p.prefix, patterns: [compile(p.pattern)] }));
const REVOCATION: Compiled = compile(REVOCATION_PATTERN);

const NO_GROUPS: Readonly<Record<string, string>> = Object.freeze({});

/** Where a pattern's value sits in an entry (from a match with positions, or the whole message). */
function rangeOf(p: EventPattern, m: RegExpExecArray | null, entry: LogEntry): Range {
  const [from, to] = (m && p.value ? m.indices?.groups?.[p.value] : undefined) ?? (m ? [m.index, m.index + m[0].length] : [0, entry.message.length]);
  return { start: positionInEntry(entry, from), end: positionInEntry(entry, to) };
}

/** An event as listeners get it: `range` is worked out only when read. */
class StreamedEvent implements LogEvent {
  readonly #pattern: EventPattern;
  /** The match, with positions when it ran with `d` (else they are found again on demand). */
  readonly #match: RegExpExecArray | null;
  #range: Range | undefined;

  constructor(
    readonly kind: LogEventKind,
    readonly line: number,
    readonly time: LogTime,
    readonly thread: number,
    readonly groups: Readonly<Record<string, string>>,
    readonly entry: LogEntry,
    pattern: EventPattern,
    match: RegExpExecArray | null,
  ) {
    this.#pattern = pattern;
    this.#match = match;
  }

  get range(): Range {
    if (this.#range === undefined) {
      const m = this.#match === null || this.#match.indices !== undefined ? this.#match : this.#pattern.re.exec(this.entry.message);
      this.#range = rangeOf(this.#pattern, m, this.entry);
    }
    return this.#range;
  }
}

interface ComponentRecord {
  name: string;
  count: number;
  patterns: readonly Compiled[] | undefined;
  debugOnly: boolean;
}

/**
 * A TETRA status as one 32-bit value: `4294965193` and `-2103` are the same status (the connector
 * writes both). Values outside 32 bits stay as written (no meaning is guessed for them).
 */
export function statusValue(text: string): number {
  const n = Number(text);
  return Number.isInteger(n) && n >= -0x80000000 && n <= 0xffffffff ? n | 0 : n;
}

function hasRevocationNeedle(msg: string): boolean {
  for (const n of REVOCATION_NEEDLES) if (msg.includes(n)) return true;
  return false;
}

/** Dotted quad of a little-endian 32-bit IPv4 (`NFMMemCache::Get: rip:`, BRIEF §2.2). */
export function ipv4FromLittleEndian(n: number): string {
  const v = n >>> 0;
  return `${v & 0xff}.${(v >>> 8) & 0xff}.${(v >>> 16) & 0xff}.${v >>> 24}`;
}

/**
 * Streams a connector log: feed text chunks (or lines), then `finish()`. Memory stays bounded by
 * what the rules keep, not by the log's size.
 */
export class LogAnalyzer {
  private readonly splitter: LineSplitter;
  private readonly assembler: EntryAssembler;
  private readonly token: Cancellation;
  private readonly file: string;
  private readonly options: AnalyzeOptions;
  private readonly years = new YearTracker();
  private readonly result: LogAnalysis = {
    lines: 0,
    entries: 0,
    orphanLines: 0,
    attempts: [],
    attemptCount: 0,
    failures: [],
    successCount: 0,
    avstat: [],
    eventCounts: {},
    published: [],
    remoteAddresses: [],
    revocation: [],
    revocationCount: 0,
    errorEntries: 0,
    components: [],
    levels: {},
    debug: false,
    blocks: [],
    gaps: [],
    findings: [],
  };
  private readonly componentCounts = new Map<string, ComponentRecord>();
  private last: ComponentRecord | undefined;
  private readonly publishedByType = new Map<number, { type: number; count: number; marks: LogMark[] }>();
  private readonly addresses = new Map<string, number>();
  private readonly failures = new Map<number, FailureGroup>();
  /** Events per kind (by slot), and the kinds in the order they first appeared. */
  private readonly eventCounts: number[] = KINDS.map(() => 0);
  private readonly eventOrder: number[] = [];
  private open: UpdateAttempt | undefined;
  private openHasResult = false;
  private anchor: YearAnchor | undefined;
  private lastTime: LogTime | undefined;
  private lastOrdinal = -Infinity;
  private lastLine = -1;
  private lastTimestampRaw = '';
  private block: TimeBlock | undefined;
  private blockKey = -1;

  constructor(options: AnalyzeOptions = {}) {
    this.options = options;
    this.token = options.token ?? NEVER_CANCELLED;
    this.file = options.file ?? '';
    this.assembler = new EntryAssembler(
      (e) => this.onEntry(e),
      () => this.result.orphanLines++,
    );
    this.splitter = new LineSplitter((l) => this.pushLine(l));
  }

  /** Feeds decoded text (any chunking). */
  push(text: string): void {
    this.splitter.push(text);
  }

  pushLine(line: Line): void {
    this.result.lines++;
    if (this.result.lines % CHECK_EVERY === 0) throwIfCancelled(this.token);
    this.assembler.push(line);
  }

  finish(): LogAnalysis {
    this.splitter.finish();
    this.assembler.finish();
    this.closeAttempt();
    this.closeBlock();
    const r = this.result;
    if (this.lastTime) {
      r.lastTime = this.lastTime;
      r.lastTimestamp = detach(this.lastTimestampRaw);
    }
    // The year: the caller's reference date, never earlier than a date the log itself writes.
    const fromReference = this.options.reference && this.lastTime ? anchorFromReference(this.options.reference, this.lastTime) : undefined;
    const anchor = this.anchor?.strong ? this.anchor : fromReference && (!this.anchor || fromReference.baseYear >= this.anchor.baseYear) ? fromReference : this.anchor;
    if (anchor && Number.isFinite(anchor.baseYear)) {
      r.year = anchor;
      const fi = r.firstTime && isoOf(r.firstTime, anchor.baseYear);
      const la = r.lastTime && isoOf(r.lastTime, anchor.baseYear);
      if (fi) r.firstIso = fi;
      if (la) r.lastIso = la;
    }
    r.components = [...this.componentCounts.values()]
      .map(({ name, count }) => ({ name, count }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
      .slice(0, MAX_COMPONENTS_REPORTED);
    for (const slot of this.eventOrder) r.eventCounts[KINDS[slot]!] = this.eventCounts[slot]!;
    r.failures = [...this.failures.values()].sort((a, b) => a.first.line - b.first.line);
    r.published = [...this.publishedByType.values()].sort((a, b) => a.type - b.type);
    r.remoteAddresses = [...this.addresses].map(([address, count]) => ({ address, count })).sort((a, b) => b.count - a.count);
    r.findings = logFindings(r, this.file, this.options.path ?? this.file, this.options.excerpt === true);
    return r;
  }

  private onEntry(entry: LogEntry): void {
    const r = this.result;
    r.entries++;
    const time: LogTime = { month: entry.month, day: entry.day, seconds: entry.seconds, yearOffset: this.years.next(entry.month, entry.day) };
    const endLine = entry.segments[entry.segments.length - 1]!.line;
    this.trackTime(entry, time, endLine);
    const msg = entry.message;
    const level = entry.level;
    if (level) {
      r.levels[level] = (r.levels[level] ?? 0) + 1;
      if (ERROR_LEVELS.has(level)) r.errorEntries++;
    }
    const component = componentOf(msg);
    let patterns: readonly Compiled[] | undefined;
    if (component !== undefined) {
      // One look-up per entry: the component's record holds its count and its patterns.
      let rec = this.last !== undefined && this.last.name === component ? this.last : this.componentCounts.get(component);
      if (rec === undefined) {
        rec = { name: detach(component), count: 0, patterns: COMPILED_BY_COMPONENT.get(component), debugOnly: DEBUG_ONLY_COMPONENTS.has(component) };
        if (this.componentCounts.size < MAX_COMPONENTS) this.componentCounts.set(rec.name, rec);
      }
      this.last = rec;
      rec.count++;
      patterns = rec.patterns;
      if (rec.debugOnly) r.debug = true;
    } else {
      const body = level ? msg.slice(levelLength(msg)) : msg;
      for (const p of COMPILED_BY_PREFIX) {
        if (body.startsWith(p.prefix)) {
          patterns = p.patterns;
          break;
        }
      }
    }
    let noise = false;
    if (patterns) {
      for (const c of patterns) {
        if (this.match(c, entry, time, endLine)) {
          noise = DEBUG_ONLY_EVENTS.has(c.pattern.event);
          break;
        }
      }
    }
    // Debug noise (file events, cache hits) never carries an HTTP/TLS error: skip the search there.
    if (!noise && hasRevocationNeedle(msg)) this.match(REVOCATION, entry, time, endLine);
    if (this.open && ordinal(time) - ordinal(this.open.start) > ATTEMPT_TIMEOUT_SECONDS) this.closeAttempt();
  }

  /** Times, gaps and hour blocks. */
  private trackTime(entry: LogEntry, time: LogTime, endLine: number): void {
    const r = this.result;
    if (!r.firstTime) {
      r.firstTime = time;
      r.firstTimestamp = detach(entry.timestamp);
    }
    const ord = ordinal(time);
    if (this.lastTime && ord - this.lastOrdinal >= GAP_SECONDS && r.gaps.length < MAX_KEPT_EVENTS) {
      r.gaps.push({
        line: entry.line,
        previousLine: this.lastLine,
        from: detach(this.lastTimestampRaw),
        to: detach(entry.timestamp),
        fromTime: this.lastTime,
        toTime: time,
        seconds: ord - this.lastOrdinal,
      });
    }
    if (ord >= this.lastOrdinal || !this.lastTime) {
      this.lastOrdinal = ord;
    }
    this.lastTime = time;
    this.lastTimestampRaw = entry.timestamp;
    this.lastLine = endLine;
    // Hour blocks: a new block when the clock moves into a later hour, but never inside an update
    // attempt (blocks and attempts nest, for the outline and for folding) and never for a line
    // written late (an earlier hour stays in the current block).
    const key = ord - (ord % 3600);
    if (!this.block || (key > this.blockKey && !this.open)) {
      this.closeBlock();
      if (r.blocks.length < MAX_BLOCKS) {
        this.block = { startLine: entry.line, endLine, start: time, timestamp: detach(entry.timestamp), entries: 0 };
        this.blockKey = key;
      }
    }
    if (this.block) {
      this.block.endLine = endLine;
      this.block.entries++;
    }
  }

  private closeBlock(): void {
    if (this.block) this.result.blocks.push(this.block);
    this.block = undefined;
  }

  /** Runs one pattern on an entry; records the event. False when it does not match. */
  private match(c: Compiled, entry: LogEntry, time: LogTime, endLine: number): boolean {
    const r = this.result;
    const p = c.pattern;
    const msg = entry.message;
    const listener = this.options.onEvent;
    if (c.byText) {
      // Debug noise: the same string tests decide, listener or not, so counts never depend on one.
      // `indexOf(…) === 0` is `startsWith`, but much faster in V8 on the sliced strings messages are.
      if (c.prefix !== undefined && msg.indexOf(c.prefix) !== 0) return false;
      if (c.literal !== undefined && !msg.includes(c.literal, c.literalFrom)) return false;
      if (this.eventCounts[c.slot]++ === 0) this.eventOrder.push(c.slot);
      r.debug = true;
      if (listener !== undefined) {
        // Fields only for listeners. The expression matches whenever the tests hold (a unit test
        // checks it); were it not to, the event still counts, without fields.
        const m = c.plain.exec(msg);
        listener(new StreamedEvent(p.event, entry.line, time, entry.thread, m?.groups ?? NO_GROUPS, entry, p, m));
      }
      return true;
    }
    const m = (c.marked ? p.re : c.plain).exec(msg);
    if (!m) return false;
    if (this.eventCounts[c.slot]++ === 0) this.eventOrder.push(c.slot);
    if (DEBUG_ONLY_EVENTS.has(p.event)) r.debug = true;
    const g = m.groups ?? NO_GROUPS;
    if (listener !== undefined) listener(new StreamedEvent(p.event, entry.line, time, entry.thread, g, entry, p, m));
    if (!c.marked) {
      if (p.event === 'nfm.remote') {
        const address = ipv4FromLittleEndian(Number(g['rip']));
        const n = this.addresses.get(address);
        if (n !== undefined) this.addresses.set(address, n + 1);
        else if (this.addresses.size < MAX_ADDRESSES) this.addresses.set(address, 1);
      }
      return true;
    }
    const range = rangeOf(p, m, entry);
    const mark = (): LogMark => ({ line: entry.line, time, timestamp: detach(entry.timestamp), range, text: bounded(entry.message) });
    switch (p.event) {
      case 'tetra.start':
      case 'tetra.init':
      case 'tetra.error':
      case 'tetra.result':
      case 'tetra.version':
        this.onTetra(p.event, g, entry, time, endLine, mark);
        break;
      case 'tetra.avstat': {
        if (r.avstat.length < MAX_KEPT_EVENTS) {
          r.avstat.push({
            ...mark(),
            engine: Number(g['engine']),
            defs: Number(g['defs']),
            status: Number(g['status']),
            firstFailure: detach(g['firstFailure'] ?? ''),
            lastSuccess: detach((g['lastSuccess'] ?? '').trim()),
          });
        }
        // Each full date is a lower bound on the year: keep the most telling one.
        const a = anchorFromMessage(entry.message, time);
        if (a && (!this.anchor || (a.strong && !this.anchor.strong) || (!!a.strong === !!this.anchor.strong && a.baseYear > this.anchor.baseYear))) this.anchor = a;
        break;
      }
      case 'publish': {
        const type = Number(g['type']);
        let t = this.publishedByType.get(type);
        if (!t) {
          if (this.publishedByType.size >= MAX_COMPONENTS) break;
          t = { type, count: 0, marks: [] };
          this.publishedByType.set(type, t);
        }
        t.count++;
        if (t.marks.length < MAX_MARKS) t.marks.push(mark());
        else t.marks[t.marks.length - 1] = mark(); // the last occurrence stays known
        break;
      }
      case 'tls.revocation-offline':
        r.revocationCount++;
        if (r.revocation.length < MAX_MARKS) r.revocation.push(mark());
        break;
      default:
        break;
    }
    return true;
  }

  private onTetra(kind: LogEventKind, g: Record<string, string>, entry: LogEntry, time: LogTime, endLine: number, mark: () => LogMark): void {
    const status = g['status'] === undefined ? undefined : statusValue(g['status']);
    // Once an attempt has its result, any update line but its `sig count` starts the next attempt.
    if (this.open && this.openHasResult && kind !== 'tetra.version') this.closeAttempt();
    let a = this.open;
    if (!a) {
      a = { startLine: entry.line, endLine, start: time, end: time, timestamp: detach(entry.timestamp), updated: false };
      this.open = a;
      this.openHasResult = false;
    }
    a.endLine = endLine;
    a.end = time;
    switch (kind) {
      case 'tetra.error':
        if (a.status === undefined) {
          a.status = status;
          a.mark = mark();
        }
        break;
      case 'tetra.result':
        a.updated = g['updated'] === 'TRUE';
        a.status = status;
        a.state = Number(g['state']);
        a.mark = mark();
        this.openHasResult = true;
        break;
      case 'tetra.version':
        a.sigCount = Number(g['sigCount']);
        a.version = Number(g['version']);
        this.closeAttempt();
        break;
      default:
        break;
    }
  }

  private closeAttempt(): void {
    const a = this.open;
    if (!a) return;
    this.open = undefined;
    this.openHasResult = false;
    const r = this.result;
    r.attemptCount++;
    if (r.attempts.length < MAX_KEPT_EVENTS) r.attempts.push(a);
    if (a.updated) {
      r.successCount++;
      if (a.mark) r.lastSuccess = a.mark;
    } else if (a.status !== undefined && a.status !== 0 && a.mark) {
      const g = this.failures.get(a.status);
      if (g) {
        g.count++;
        g.last = a.mark;
        if (g.marks.length < MAX_MARKS) g.marks.push(a.mark);
      } else this.failures.set(a.status, { status: a.status, count: 1, first: a.mark, last: a.mark, marks: [a.mark] });
    }
  }
}

/** Analyses a whole in-memory text (an open document). */
export function analyzeLogText(text: string, options: AnalyzeOptions = {}): LogAnalysis {
  const a = new LogAnalyzer(options);
  a.push(text);
  return a.finish();
}
