/**
 * The connector log writes `Aug 04 07:30:23` with no year (BRIEF §2.2). While streaming, entries
 * get a year *offset* (0 for the first year, +1 after each December→January rollover); at the end
 * the offsets are turned into years from an anchor:
 *   1. a full date written inside the log (`AVStat … first failure - Thu Aug 4 06:35:16 2022`):
 *      the entry's year is that year, or the next when the entry's day comes before it;
 *   2. a reference date the caller knows (the file's modification time, the bundle's date):
 *      the last entry is not after it;
 *   3. none: times stay without a year.
 */

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** A point of the log's clock: month 1-12, day, seconds since midnight, year offset. */
export interface LogTime {
  month: number;
  day: number;
  seconds: number;
  yearOffset: number;
}

/** Days before each month in a common year. */
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/**
 * Seconds on the log's clock from the start of its first year: monotonic across years when the
 * offsets are right, and differences are real durations (29 February aside).
 */
export function ordinal(t: LogTime): number {
  return (t.yearOffset * 365 + DAYS_BEFORE[t.month - 1]! + t.day - 1) * 86400 + t.seconds;
}

/** Assigns year offsets while entries stream past. */
export class YearTracker {
  private offset = 0;
  private maxMonthOrdinal = -1;

  /** The offset for an entry of `month` (1-12). */
  next(month: number): number {
    let ord = this.offset * 12 + (month - 1);
    // A month far *behind* the latest seen is a new year (Dec→Jan, or Nov→Feb after a gap). Small
    // steps back (threads writing late, clocks adjusted) are not.
    if (this.maxMonthOrdinal >= 0 && ord < this.maxMonthOrdinal - 6) {
      this.offset++;
      ord += 12;
    }
    if (ord > this.maxMonthOrdinal) this.maxMonthOrdinal = ord;
    return this.offset;
  }

  get current(): number {
    return this.offset;
  }
}

export interface YearAnchor {
  /** The year at offset 0. */
  baseYear: number;
  how: 'in-log-date' | 'reference-date';
}

const FULL_DATE = /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) \d{2}:\d{2}:\d{2} ((?:19|20)\d{2})\b/;

/**
 * A year anchor from a full date written in an entry's message (`Thu Aug 4 06:35:16 2022`), which
 * is a past moment (a first failure): the entry is in that year, or the next when its day comes
 * earlier in the year than the written date.
 */
export function anchorFromMessage(message: string, at: LogTime): YearAnchor | undefined {
  const m = FULL_DATE.exec(message);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1] as (typeof MONTHS)[number]) + 1;
  const day = Number(m[2]);
  const year = Number(m[3]);
  const entryYear = at.month * 100 + at.day >= month * 100 + day ? year : year + 1;
  return { baseYear: entryYear - at.yearOffset, how: 'in-log-date' };
}

/** A year anchor from a date known to be at or after the log's last entry (file time, bundle date). */
export function anchorFromReference(reference: Date, last: LogTime): YearAnchor {
  const refYear = reference.getUTCFullYear();
  // One day of slack for time zones: the log writes local time, the reference is UTC.
  const refKey = (reference.getUTCMonth() + 1) * 100 + reference.getUTCDate() + 1;
  const lastYear = last.month * 100 + last.day <= refKey ? refYear : refYear - 1;
  return { baseYear: lastYear - last.yearOffset, how: 'reference-date' };
}

/** `2022-08-04T07:30:23` (local time of the endpoint, no zone), or undefined without a year. */
export function isoOf(t: LogTime, baseYear: number | undefined): string | undefined {
  if (baseYear === undefined) return undefined;
  const y = baseYear + t.yearOffset;
  const h = Math.floor(t.seconds / 3600);
  const mi = Math.floor((t.seconds % 3600) / 60);
  const s = t.seconds % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${y}-${p(t.month)}-${p(t.day)}T${p(h)}:${p(mi)}:${p(s)}`;
}

/** Milliseconds of the log's clock as if it were UTC (for ordering and spans), when the year is known. */
export function epochOf(t: LogTime, baseYear: number): number {
  return Date.UTC(baseYear + t.yearOffset, t.month - 1, t.day) + t.seconds * 1000;
}

/**
 * Parses `Mon DD HH:MM:SS` as the log writes it (any letter case, day padded or not), optionally
 * preceded by a year (`2022 Aug 04 07:30:23`), as typed by a user for a time window.
 */
export function parseLogTime(text: string): { month: number; day: number; seconds: number; year?: number } | undefined {
  const m = /^\s*(?:(\d{4}) )?([A-Za-z]{3}) {1,2}(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})\s*$/.exec(text);
  if (!m) return undefined;
  const month = MONTHS.findIndex((x) => x.toLowerCase() === m[2]!.toLowerCase()) + 1;
  const day = Number(m[3]);
  const h = Number(m[4]);
  const min = Number(m[5]);
  const sec = Number(m[6]);
  if (month === 0 || day < 1 || day > 31 || h > 23 || min > 59 || sec > 59) return undefined;
  const out: { month: number; day: number; seconds: number; year?: number } = { month, day, seconds: h * 3600 + min * 60 + sec };
  if (m[1]) out.year = Number(m[1]);
  return out;
}
