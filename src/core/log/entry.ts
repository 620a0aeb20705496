import type { Line } from '../text/lines';

/**
 * One entry of `sfc.exe.log`: a header line
 * `(<tick>, +<delta> ms) <Mon> <DD> <HH:MM:SS> [<thread id>]: [LEVEL: ]<message>` (BRIEF §2.2)
 * plus the continuation lines that follow it (lines that do not start with the header shape).
 */
export interface LogEntry {
  /** Zero-based index of the header line. */
  line: number;
  tick: number;
  deltaMs: number;
  /** 1-12. The log has no year (inferred elsewhere). */
  month: number;
  day: number;
  /** Seconds since midnight. */
  seconds: number;
  /** As written: `Aug 04 07:30:23`. */
  timestamp: string;
  thread: number;
  level?: string;
  /** The message with continuation lines joined by single spaces. */
  message: string;
  /** Where each physical line's text sits inside `message` (for mapping offsets back to positions). */
  segments: Segment[];
  /** True when a physical line was longer than the analysed bound. */
  truncated: boolean;
}

export interface Segment {
  line: number;
  /** Offset of this line's text inside `message`. */
  offset: number;
  /** Offset of that text inside the physical line. */
  column: number;
  length: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The header shape. Exported for the language's `firstLine` check and for detection by content. */
export const HEADER = /^\((\d{1,20}), \+(-?\d{1,12}) ms\) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) \[(\d{1,12})\]: ?/;
const LEVEL = /^(ERROR|WARNING|WARN|INFO|DEBUG|CRITICAL|FATAL):\s*/;

/** Bounds on how much one entry gathers (hostile or broken logs must not build huge entries). */
const MAX_CONTINUATIONS = 64;
const MAX_MESSAGE = 256 * 1024;

/**
 * The component an entry comes from: the qualified name before the last `::` of the leading
 * `Component::Function`, or the bare function (`PerformTetraUpdate:`); template arguments dropped
 * (`FASharedPtr<class X>::ReleaseInstance` → `FASharedPtr`). Undefined for free text.
 */
export function componentOf(message: string): string | undefined {
  const skip = levelLength(message);
  const fast = componentFast(message, skip);
  if (fast !== SLOW) return fast;
  return componentOfByExpression(message);
}

/** The definition of `componentOf`, by regular expression (the fast path must agree with it). */
export function componentOfByExpression(message: string): string | undefined {
  const skip = LEVEL.exec(message)?.[0].length ?? 0;
  const body = skip > 0 ? message.slice(skip) : message;
  const m = COMPONENT.exec(body);
  if (!m) return undefined;
  // A bare word is a function only with a colon after it, or in PascalCase (`TetraUpdaterInit defInit`).
  if (!m[1]!.includes('::') && !m[2] && !/^[A-Z][a-z0-9]+[A-Z]/.test(m[1]!)) return undefined;
  const qualified = m[1]!.replace(/<[^>]{0,200}>/g, '');
  const cut = qualified.lastIndexOf('::');
  return cut > 0 ? qualified.slice(0, cut) : qualified;
}
const SLOW = '\u0000slow';

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isWord(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57);
}

/**
 * `componentOf` without regular expressions for the common shapes (`A::b:`, `A::B::c text`,
 * `Fn:`): the analyser calls it on every entry. Anything unusual (templates, indexes, odd
 * separators) returns SLOW and goes through the regular expression, which defines the result.
 */
function componentFast(t: string, start: number): string | undefined {
  const n = t.length;
  let i = start;
  let lastSep = -1;
  for (let segments = 0; ; segments++) {
    if (i >= n || !isWordStart(t.charCodeAt(i))) return segments === 0 ? undefined : SLOW;
    const wordStart = i;
    i++;
    while (i < n && isWord(t.charCodeAt(i))) i++;
    if (i - wordStart > 81) return SLOW;
    const c = i < n ? t.charCodeAt(i) : -1;
    if (c === 58 && t.charCodeAt(i + 1) === 58) {
      if (segments >= 6) return SLOW;
      lastSep = i;
      i += 2;
      continue;
    }
    if (c === 60 || c === 91) return SLOW; // `<template>` or `[index]`
    const colon = c === 58 || (c === 32 && t.charCodeAt(i + 1) === 58);
    if (!colon && c !== -1 && c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 11 && c !== 12) return lastSep >= 0 ? SLOW : undefined;
    if (lastSep >= 0) return t.slice(start, lastSep);
    const name = t.slice(start, i);
    // A bare word is a function only with a colon after it, or in PascalCase (`TetraUpdaterInit defInit`).
    return colon || PASCAL.test(name) ? name : undefined;
  }
}
const PASCAL = /^[A-Z][a-z0-9]+[A-Z]/;

/** Length of a leading level marker (`ERROR: `), 0 when there is none. */
export function levelLength(message: string): number {
  const c = message.charCodeAt(0);
  // E(RROR) W(ARN/ING) I(NFO) D(EBUG) C(RITICAL) F(ATAL): cheap first-letter test before the pattern.
  if (c !== 69 && c !== 87 && c !== 73 && c !== 68 && c !== 67 && c !== 70) return 0;
  const m = LEVEL.exec(message);
  return m ? m[0].length : 0;
}

const COMPONENT = /^((?:[A-Za-z_]\w{0,80}(?:<[^>]{0,200}>)?::){0,6}[A-Za-z_]\w{0,80})(?:\[\d{1,10}\])?(?: ?(:)|$|\s)/;

export function isHeaderLine(text: string): boolean {
  return HEADER.test(text);
}

/** Month number from the three letters' char codes (`Aug` → 8). */
const MONTH_BY_KEY = new Map<number, number>(MONTHS.map((m, i) => [m.charCodeAt(0) * 65536 + m.charCodeAt(1) * 256 + m.charCodeAt(2), i + 1]));

/** Where the last `readDigits` stopped. */
let readEnd = 0;

/** Reads 1..max decimal digits at `i`; -1 when there are none. Sets `readEnd`. */
function readDigits(t: string, i: number, max: number): number {
  let v = 0;
  let k = 0;
  for (; k < max; k++) {
    const c = t.charCodeAt(i + k);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  readEnd = i + k;
  return k === 0 ? -1 : v;
}

function twoDigits(t: string, i: number): number {
  const a = t.charCodeAt(i) - 48;
  const b = t.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Parses a header line by hand: this runs once per line of logs of hundreds of MB, and is several
 * times faster than the equivalent `HEADER` expression, which stays the definition (a unit test
 * checks that both agree).
 */
export function parseHeader(line: Line): LogEntry | undefined {
  const t = line.text;
  if (t.charCodeAt(0) !== 40) return undefined; // (
  let tick = readDigits(t, 1, 20);
  if (tick < 0) return undefined;
  let i = readEnd;
  if (i - 1 > 15) tick = Number(t.slice(1, i)); // beyond exact integers: round as Number() does
  if (t.charCodeAt(i) !== 44 || t.charCodeAt(i + 1) !== 32 || t.charCodeAt(i + 2) !== 43) return undefined; // ", +"
  i += 3;
  const negative = t.charCodeAt(i) === 45;
  if (negative) i++;
  let delta = readDigits(t, i, 12);
  if (delta < 0) return undefined;
  if (negative) delta = -delta;
  i = readEnd;
  if (!t.startsWith(' ms) ', i)) return undefined;
  i += 5;
  const monthStart = i;
  const c0 = t.charCodeAt(i);
  const c1 = t.charCodeAt(i + 1);
  const c2 = t.charCodeAt(i + 2);
  if (!(c0 >= 65 && c0 <= 90 && c1 >= 97 && c1 <= 122 && c2 >= 97 && c2 <= 122)) return undefined;
  const month = MONTH_BY_KEY.get(c0 * 65536 + c1 * 256 + c2);
  if (month === undefined) return undefined;
  i += 3;
  if (t.charCodeAt(i) !== 32) return undefined;
  i++;
  const padded = t.charCodeAt(i) === 32;
  if (padded) i++;
  const day = readDigits(t, i, 2);
  if (day < 0) return undefined;
  const dayDigits = readEnd - i;
  i = readEnd;
  if (t.charCodeAt(i) !== 32) return undefined;
  const hh = twoDigits(t, i + 1);
  const mm = t.charCodeAt(i + 3) === 58 ? twoDigits(t, i + 4) : -1;
  const ss = t.charCodeAt(i + 6) === 58 ? twoDigits(t, i + 7) : -1;
  if (hh < 0 || mm < 0 || ss < 0) return undefined;
  const timeEnd = i + 9;
  if (t.charCodeAt(timeEnd) !== 32 || t.charCodeAt(timeEnd + 1) !== 91) return undefined; // " ["
  const thread = readDigits(t, timeEnd + 2, 12);
  if (thread < 0) return undefined;
  i = readEnd;
  if (t.charCodeAt(i) !== 93 || t.charCodeAt(i + 1) !== 58) return undefined; // "]:"
  i += 2;
  if (t.charCodeAt(i) === 32) i++;
  // As written, with the day always two digits (`Jan  5` → `Jan 05`).
  const timestamp = !padded && dayDigits === 2 ? t.slice(monthStart, timeEnd) : `${t.slice(monthStart, monthStart + 3)} ${String(day).padStart(2, '0')}${t.slice(timeEnd - 9, timeEnd)}`;
  const body = t.slice(i);
  const entry: LogEntry = {
    line: line.index,
    tick,
    deltaMs: delta,
    month,
    day,
    seconds: hh * 3600 + mm * 60 + ss,
    timestamp,
    thread,
    // The level marker stays in `message`, so offsets keep mapping 1:1 to the line.
    message: body,
    segments: [{ line: line.index, offset: 0, column: i, length: body.length }],
    truncated: line.truncated,
  };
  const levelEnd = levelLength(body);
  if (levelEnd > 0) entry.level = body.slice(0, body.indexOf(':'));
  return entry;
}

/**
 * Groups lines into entries as they stream past. Lines before the first header, and lines beyond
 * the continuation bound, are reported through `onOrphan`.
 */
export class EntryAssembler {
  private current: LogEntry | undefined;

  constructor(
    private readonly onEntry: (entry: LogEntry) => void,
    private readonly onOrphan: (line: Line) => void = () => {},
  ) {}

  push(line: Line): void {
    const header = parseHeader(line);
    if (header) {
      this.flush();
      this.current = header;
      return;
    }
    const cur = this.current;
    const text = line.text;
    let lead = 0;
    while (lead < text.length && (text.charCodeAt(lead) === 32 || text.charCodeAt(lead) === 9)) lead++;
    if (cur && lead === text.length) return; // blank lines inside a log carry nothing
    if (cur && cur.segments.length <= MAX_CONTINUATIONS && cur.message.length + text.length < MAX_MESSAGE) {
      // Wrapped text joins with exactly one space, whatever indentation or trailing blanks the
      // wrap left, so the patterns see the line as the connector meant it.
      trimEntryEnd(cur);
      const offset = cur.message.length + 1;
      cur.message += ' ' + (lead > 0 ? text.slice(lead) : text);
      cur.segments.push({ line: line.index, offset, column: lead, length: text.length - lead });
      cur.truncated ||= line.truncated;
      return;
    }
    this.flush();
    this.onOrphan(line);
  }

  finish(): void {
    this.flush();
  }

  private flush(): void {
    if (this.current) {
      trimEntryEnd(this.current);
      this.onEntry(this.current);
    }
    this.current = undefined;
  }
}

/** Drops trailing blanks from an entry's message (and from its last segment). */
function trimEntryEnd(e: LogEntry): void {
  const m = e.message;
  const last = m.charCodeAt(m.length - 1);
  if (last !== 32 && last !== 9) return;
  e.message = m.trimEnd();
  const seg = e.segments[e.segments.length - 1]!;
  seg.length = Math.max(0, Math.min(seg.length, e.message.length - seg.offset));
}

/** Maps an offset inside `entry.message` back to a line and character. */
export function positionInEntry(entry: LogEntry, offset: number): { line: number; character: number } {
  let seg = entry.segments[0]!;
  for (const s of entry.segments) {
    if (s.offset <= offset) seg = s;
    else break;
  }
  const within = Math.min(Math.max(0, offset - seg.offset), seg.length);
  return { line: seg.line, character: seg.column + within };
}
