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
export const HEADER = /^\((\d{1,20}), \+(-?\d{1,12}) ms\) ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) \[(\d{1,12})\]: ?/;
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
  let body = message;
  const level = LEVEL.exec(body);
  if (level) body = body.slice(level[0].length);
  const m = COMPONENT.exec(body);
  if (!m) return undefined;
  // A bare word is a function only with a colon after it, or in PascalCase (`TetraUpdaterInit defInit`).
  if (!m[1]!.includes('::') && !m[2] && !/^[A-Z][a-z0-9]+[A-Z]/.test(m[1]!)) return undefined;
  const qualified = m[1]!.replace(/<[^>]{0,200}>/g, '');
  const cut = qualified.lastIndexOf('::');
  return cut > 0 ? qualified.slice(0, cut) : qualified;
}
const COMPONENT = /^((?:[A-Za-z_]\w{0,80}(?:<[^>]{0,200}>)?::){0,6}[A-Za-z_]\w{0,80})(?:\[\d{1,10}\])?(?: ?(:)|$|\s)/;

export function isHeaderLine(text: string): boolean {
  return HEADER.test(text);
}

export function parseHeader(line: Line): LogEntry | undefined {
  const m = HEADER.exec(line.text);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[3]!) + 1;
  if (month === 0) return undefined;
  const bodyColumn = m[0].length;
  const body = line.text.slice(bodyColumn);
  // The level marker stays in `message`, so offsets keep mapping 1:1 to the line.
  const level = LEVEL.exec(body)?.[1];
  const entry: LogEntry = {
    line: line.index,
    tick: Number(m[1]),
    deltaMs: Number(m[2]),
    month,
    day: Number(m[4]),
    seconds: Number(m[5]) * 3600 + Number(m[6]) * 60 + Number(m[7]),
    timestamp: `${m[3]} ${m[4]!.padStart(2, '0')} ${m[5]}:${m[6]}:${m[7]}`,
    thread: Number(m[8]),
    message: body,
    segments: [{ line: line.index, offset: 0, column: bodyColumn, length: body.length }],
    truncated: line.truncated,
  };
  if (level) entry.level = level;
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
    if (cur && cur.segments.length <= MAX_CONTINUATIONS && cur.message.length + line.text.length < MAX_MESSAGE && line.text.length > 0) {
      const offset = cur.message.length + 1;
      cur.message += ' ' + line.text;
      cur.segments.push({ line: line.index, offset, column: 0, length: line.text.length });
      cur.truncated ||= line.truncated;
      return;
    }
    if (line.text.length === 0 && cur) return; // blank lines inside a log carry nothing
    this.flush();
    this.onOrphan(line);
  }

  finish(): void {
    this.flush();
  }

  private flush(): void {
    if (this.current) this.onEntry(this.current);
    this.current = undefined;
  }
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
