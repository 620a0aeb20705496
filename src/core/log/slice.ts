/**
 * Slices of a connector log: the entries that match a filter (errors only, one component, some
 * text, a time window), with N entries of context around each, copied verbatim line by line, and
 * for every line of the slice its line in the original file. Streams any size with bounded memory:
 * what is kept is the context ring, the entry being read, and the slice itself (bounded by
 * `maxLines` and a character budget).
 */
import { readChunks } from '../bundle/inputs';
import { ByteDecoder, detach, LineSplitter, type Line } from '../text/lines';
import { NEVER_CANCELLED, throwIfCancelled, type Cancellation } from '../types';
import { componentOf, EntryAssembler, type LogEntry } from './entry';
import { ordinal, parseLogTime as parseWindowTime, YearTracker, type LogTime } from './year';

export interface SliceOptions {
  /** Only entries with an ERROR/WARNING/CRITICAL/FATAL marker, or that read as a failure. */
  errorsOnly?: boolean;
  /** Only entries of this component (`componentOf` of the message). */
  component?: string;
  /** Only entries whose text (header and message) contains this, case-insensitive. */
  text?: string;
  /** Time window, `Mon DD HH:MM:SS` as the log writes it, inclusive. */
  from?: string;
  to?: string;
  /** Entries of context before and after each match (0–50). */
  context?: number;
  /** Bound on the slice's lines, separators included (default 20 000, at most 200 000). */
  maxLines?: number;
}

export interface SliceResult {
  /** Whole entries copied verbatim (line breaks normalised to `\n`), hunks separated by one empty line. */
  text: string;
  /** For each line of `text`, its zero-based line in the original (-1 for a separator). */
  lines: number[];
  /** Entries that matched the filter (context not counted), over the whole log. */
  matched: number;
  /** True when `maxLines` (or the character budget) cut the slice short. */
  truncated: boolean;
  /** Lines of the original that were read. */
  scannedLines: number;
}

/** A `from`/`to` value that is not `Mon DD HH:MM:SS`. */
export class SliceFilterError extends Error {
  constructor(
    readonly field: 'from' | 'to',
    readonly value: string,
  ) {
    super(`${field}: not a log time: ${value}`);
    this.name = 'SliceFilterError';
  }
}

export const DEFAULT_MAX_LINES = 20_000;
export const MAX_LINES_CAP = 200_000;
export const MAX_CONTEXT = 50;
/** Characters a slice may hold (a slice is a small document: well under VS Code's 20 MB colour limit). */
export const MAX_SLICE_CHARS = 16 * 1024 * 1024;
/** Cancellation is checked every this many lines. */
const CHECK_EVERY = 2048;

const LEVELS = new Set(['ERROR', 'WARNING', 'WARN', 'CRITICAL', 'FATAL']);
/**
 * Fallback for "errors only": many connector failures are written without a level marker
 * (`TetraUpdateInterface::update Update failed …` sometimes, `… failed: …` often), so a message
 * with the word fail/failed/failure/fails or error counts as an error too. A heuristic: it can also
 * catch a debug line that merely names an error ("error count: 0"); a slice errs on showing more.
 */
const FAILURE_WORDS = /\b(?:fail(?:ed|ure|s)?|error)\b/i;
/**
 * TETRA results the `tetra.update-failed` rule flags although they carry neither a marker nor a
 * failure word (seed 001): `PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -3000` and
 * `AVStat::CopyInternal : … last err code - 4294964296, …`. A non-zero status is a failure.
 */
const TETRA_FAILURE = /PerformTetraUpdate: bUpdated = FALSE, state: -?\d{1,11}, status: (-?\d{1,11})|AVStat::CopyInternal : .{0,200}?last err code - (-?\d{1,11})/;

/** Parses a window bound (`Mon DD HH:MM:SS`, optionally after a year); shared with the other log tools. */
export const parseLogTime = parseWindowTime;

type WindowTime = NonNullable<ReturnType<typeof parseWindowTime>>;

/** How far before the log's first entry a bound may lie and still mean that year. */
const BEFORE_START_SLACK = 31 * 86400;

/**
 * Places the window in the log's years (the log writes none, BRIEF §2.2): a bound means its first
 * occurrence from the log's first entry on (up to a month before it still counts as that year), so
 * `Jan 10` in a log from `Jun 20` is the next January; `to` is never before `from`
 * (`Dec 31 23:00:00` to `Jan 01 01:00:00`). Entries carry their year offset from YearTracker.
 */
function resolveWindow(first: LogTime, from: WindowTime | undefined, to: WindowTime | undefined): { from: number; to: number } {
  const firstKey = ordinal({ ...first, yearOffset: 0 });
  const place = (t: WindowTime, minimum: number) => {
    for (let yearOffset = 0; ; yearOffset++) {
      const key = ordinal({ month: t.month, day: t.day, seconds: t.seconds, yearOffset });
      if (key >= minimum) return key;
    }
  };
  const lo = from ? place(from, firstKey - BEFORE_START_SLACK) : -Infinity;
  const hi = to ? place(to, Math.max(firstKey - BEFORE_START_SLACK, lo)) : Infinity;
  return { from: lo, to: hi };
}

/** One entry as it stands in the file: its first line, and the text of each of its lines. */
interface RawEntry {
  ordinal: number;
  first: number;
  /** Line texts, `first` onwards (blank lines inside an entry kept as ''). */
  texts: string[];
}

/**
 * Slices a connector log. `chunks` is decoded text in any chunking (see `decodeFile`), or the
 * whole text. Lines before the first entry, and lines the entry assembler rejects (beyond its
 * continuation bound), belong to no entry and are never matched or shown.
 * Throws `SliceFilterError` for a `from`/`to` that is not a log time, `CancelledError` on cancellation.
 */
export async function sliceLog(chunks: AsyncIterable<string> | Iterable<string> | string, options: SliceOptions = {}, token: Cancellation = NEVER_CANCELLED): Promise<SliceResult> {
  const s = new Slicer(options, token);
  if (typeof chunks === 'string') s.push(chunks);
  else if (Symbol.asyncIterator in chunks) for await (const c of chunks) s.push(c);
  else for (const c of chunks) s.push(c);
  return s.finish();
}

/** The streaming slicer behind `sliceLog`: `push` text, then `finish`. */
export class Slicer {
  private readonly splitter: LineSplitter;
  private readonly assembler: EntryAssembler;
  private readonly context: number;
  private readonly maxLines: number;
  private readonly component: string | undefined;
  private readonly needle: string | undefined;
  private readonly errorsOnly: boolean;
  private readonly from: WindowTime | undefined;
  private readonly to: WindowTime | undefined;
  private window: { from: number; to: number } | undefined;
  private readonly years = new YearTracker();

  /** Non-empty lines read since the last entry or orphan was settled, by index. */
  private pending: Line[] = [];
  private ordinal = 0;
  /** The last `context` entries that were not shown (the "before" context). */
  private ring: RawEntry[] = [];
  /** Entries still to show after the last match. */
  private after = 0;
  private lastShown = -2;

  private readonly out: string[] = [];
  private readonly map: number[] = [];
  private chars = 0;
  private matched = 0;
  private truncated = false;
  private scanned = 0;
  private atStart = true;

  constructor(
    options: SliceOptions,
    private readonly token: Cancellation = NEVER_CANCELLED,
  ) {
    this.context = clampInt(options.context, 0, MAX_CONTEXT, 0);
    this.maxLines = clampInt(options.maxLines, 1, MAX_LINES_CAP, DEFAULT_MAX_LINES);
    this.component = options.component || undefined;
    this.needle = options.text ? options.text.toLowerCase() : undefined;
    this.errorsOnly = options.errorsOnly === true;
    if (options.from) {
      this.from = parseLogTime(options.from);
      if (!this.from) throw new SliceFilterError('from', options.from);
    }
    if (options.to) {
      this.to = parseLogTime(options.to);
      if (!this.to) throw new SliceFilterError('to', options.to);
    }
    this.assembler = new EntryAssembler(
      (e) => this.onEntry(e),
      (l) => this.onOrphan(l),
    );
    this.splitter = new LineSplitter((l) => this.onLine(l));
  }

  push(text: string): void {
    if (this.atStart && text.length > 0) {
      this.atStart = false;
      // A whole text read with a BOM (`readFileSync(f, 'utf8')` keeps it); `decodeFile` strips it already.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.splitter.push(text);
  }

  finish(): SliceResult {
    this.splitter.finish();
    this.assembler.finish();
    // A trailing separator never stands alone (it is only written before a hunk), so the text is exact.
    return { text: this.out.join('\n'), lines: this.map, matched: this.matched, truncated: this.truncated, scannedLines: this.scanned };
  }

  private onLine(line: Line): void {
    this.scanned++;
    if (this.scanned % CHECK_EVERY === 0) throwIfCancelled(this.token);
    // Blank lines are not kept: inside an entry they are rebuilt as ''.
    if (line.text.length > 0) this.pending.push(line);
    this.assembler.push(line);
  }

  private onOrphan(line: Line): void {
    this.drop(line.index);
    // An orphan breaks the run of entries: what follows starts a new hunk.
    this.ordinal++;
  }

  /** Forgets pending lines up to `index`. */
  private drop(index: number): void {
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.index <= index) n++;
    if (n > 0) this.pending = this.pending.slice(n);
  }

  private onEntry(entry: LogEntry): void {
    const ordinal = this.ordinal++;
    const last = entry.segments[entry.segments.length - 1]!.line;
    const raw = this.rawOf(entry, ordinal, last);
    this.drop(last);
    if (this.truncated) {
      if (this.matches(entry, raw)) this.matched++;
      return;
    }
    if (this.matches(entry, raw)) {
      this.matched++;
      for (const e of this.ring) this.show(e);
      this.ring = [];
      this.show(raw);
      this.after = this.context;
    } else if (this.after > 0) {
      this.after--;
      this.show(raw);
    } else if (this.context > 0) {
      this.ring.push(detachEntry(raw));
      if (this.ring.length > this.context) this.ring.shift();
    }
  }

  private rawOf(entry: LogEntry, ordinal: number, last: number): RawEntry {
    const texts: string[] = new Array<string>(last - entry.line + 1).fill('');
    for (const l of this.pending) {
      if (l.index > last) break;
      if (l.index >= entry.line) texts[l.index - entry.line] = l.text;
    }
    return { ordinal, first: entry.line, texts };
  }

  private matches(entry: LogEntry, raw: RawEntry): boolean {
    if (!this.timeMatches(entry)) return false;
    if (this.component !== undefined && componentOf(entry.message) !== this.component) return false;
    if (this.needle !== undefined) {
      const header = raw.texts[0]!.slice(0, entry.segments[0]!.column);
      if (!(header + entry.message).toLowerCase().includes(this.needle)) return false;
    }
    if (this.errorsOnly && !isErrorEntry(entry)) return false;
    return true;
  }

  private timeMatches(entry: LogEntry): boolean {
    // The running year offset follows every entry, whether or not a window is asked for.
    const time: LogTime = { month: entry.month, day: entry.day, seconds: entry.seconds, yearOffset: this.years.next(entry.month, entry.day) };
    if (!this.from && !this.to) return true;
    this.window ??= resolveWindow({ ...time, yearOffset: 0 }, this.from, this.to);
    const key = ordinal(time); // the tracker gives the first entry offset 0
    return key >= this.window.from && key <= this.window.to;
  }

  private show(e: RawEntry): void {
    if (this.truncated) return;
    const separator = this.out.length > 0 && e.ordinal !== this.lastShown + 1;
    const needed = e.texts.length + (separator ? 1 : 0);
    const chars = e.texts.reduce((n, t) => n + t.length + 1, 0);
    if (this.out.length + needed > this.maxLines || this.chars + chars > MAX_SLICE_CHARS) {
      this.truncated = true;
      // An entry larger than the whole budget (only blank-padded ones can be) is shown in part.
      if (this.out.length === 0) for (let i = 0; i < e.texts.length && this.out.length < this.maxLines && this.chars < MAX_SLICE_CHARS; i++) this.emit(e.texts[i]!, e.first + i);
      return;
    }
    if (separator) this.emit('', -1);
    for (let i = 0; i < e.texts.length; i++) this.emit(e.texts[i]!, e.first + i);
    this.lastShown = e.ordinal;
  }

  private emit(text: string, line: number): void {
    // Kept strings must not pin the decoded chunk they were cut from.
    this.out.push(detach(text));
    this.map.push(line);
    this.chars += text.length + 1;
  }
}

function detachEntry(e: RawEntry): RawEntry {
  return { ordinal: e.ordinal, first: e.first, texts: e.texts.map(detach) };
}

/** An entry with a level marker, a failure word, or a TETRA result a rule flags as a failure. */
export function isErrorEntry(entry: LogEntry): boolean {
  if (entry.level && LEVELS.has(entry.level)) return true;
  const msg = entry.message;
  // The TETRA result lines say by their status (`first failure - never` is a field's name, not a failure).
  const m = msg.includes('PerformTetraUpdate') || msg.includes('AVStat') ? TETRA_FAILURE.exec(msg) : null;
  if (m) return Number(m[1] ?? m[2]) !== 0;
  return FAILURE_WORDS.test(msg);
}

function clampInt(v: number | undefined, lo: number, hi: number, fallback: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return fallback;
  return Math.min(hi, Math.max(lo, Math.trunc(v)));
}

/**
 * A file on disk as decoded text chunks (UTF-8, or UTF-16 with a BOM or by its NUL pattern),
 * read through one reused buffer: any size, bounded memory.
 */
export async function* decodeFile(file: string, token: Cancellation = NEVER_CANCELLED): AsyncGenerator<string> {
  const decoder = new ByteDecoder();
  for await (const chunk of readChunks(file, token)) {
    const text = decoder.push(chunk);
    if (text) yield text;
  }
  const rest = decoder.finish();
  if (rest) yield rest;
}
