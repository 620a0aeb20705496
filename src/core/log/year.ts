/**
 * The connector log writes `Aug 04 07:30:23` with no year (BRIEF §2.2). While streaming, entries
 * get a year *offset* (0 for the first year, +1 after each December→January rollover); at the end
 * the offsets are turned into years from an anchor:
 *   1. a reference date the caller knows (the file's modification time, the bundle's date): the
 *      last entry is not after it;
 *   2. a full date written inside the log (`AVStat … first failure - Thu Aug 4 06:35:16 2022`),
 *      a past moment: the entry is in that year or later. Within a month of its entry it decides
 *      (a copied file's time may be years off); older, it is a lower bound on the reference's
 *      answer, and the answer when there is no reference;
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
 * offsets are right, and differences are real durations. The year is unknown while streaming, so
 * years count 365 days and 29 February is squeezed into the last half of 28 February's place
 * (a leap day's durations count half; every other day, and Feb 28 → Mar 1, stays exact).
 */
export function ordinal(t: LogTime): number {
  if (t.month === 2 && t.day === 29) return (t.yearOffset * 365 + 58.5) * 86400 + t.seconds / 2;
  return (t.yearOffset * 365 + DAYS_BEFORE[t.month - 1]! + t.day - 1) * 86400 + t.seconds;
}

/** How far back a line may be written late (threads, clock adjustments) and still be its own year's. */
const LATE_DAYS = 2;

/**
 * Assigns year offsets while entries stream past. Time moves forward: an entry takes the year
 * (the previous entry's, the one after, or the one before) that puts it the smallest step after
 * the previous entry, so Dec 31 → Jan 01 is a new year and Jun 20 → Dec 31 is not; the exception
 * is a line written late, at most two days behind, which stays in its own year (Dec 31 after
 * Jan 01 lines goes back to December, and the next January line does not count a year twice).
 */
export class YearTracker {
  private offset = 0;
  private lastDay: number | undefined;

  /** The offset for an entry of `month` (1-12) and `day`. */
  next(month: number, day = 1): number {
    const dayOfYear = DAYS_BEFORE[month - 1]! + Math.min(day, 31) - 1;
    if (this.lastDay === undefined) {
      this.lastDay = dayOfYear;
      return this.offset;
    }
    let late: number | undefined;
    let lateStep = -Infinity;
    let forward = this.offset;
    let forwardStep = Infinity;
    for (const candidate of [this.offset - 1, this.offset, this.offset + 1]) {
      const step = candidate * 365 + dayOfYear - this.lastDay;
      if (step < 0 && step >= -LATE_DAYS && step > lateStep) {
        late = candidate;
        lateStep = step;
      } else if (step >= 0 && step < forwardStep) {
        forward = candidate;
        forwardStep = step;
      }
    }
    const chosen = forwardStep === 0 || late === undefined ? forward : late;
    this.offset = chosen;
    this.lastDay = chosen * 365 + dayOfYear;
    return chosen;
  }

  get current(): number {
    return this.offset;
  }
}

export interface YearAnchor {
  /** The year at offset 0. */
  baseYear: number;
  how: 'in-log-date' | 'reference-date';
  /** An in-log date close to its entry: it decides the year, whatever the file's time says. */
  strong?: boolean;
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
  // A date within a month before its entry (a first failure earlier that day) tells the entry's
  // year outright; an older one (a failure that has lasted since) is only a lower bound.
  const days = (Date.UTC(entryYear, at.month - 1, at.day) - Date.UTC(year, month - 1, day)) / 86_400_000;
  const anchor: YearAnchor = { baseYear: entryYear - at.yearOffset, how: 'in-log-date' };
  if (days <= 31) anchor.strong = true;
  return anchor;
}

/**
 * A year anchor from a date known to be at or after the log's last entry (file time, bundle date):
 * the last entry's year is the reference's, unless that puts the entry after the reference (with
 * 36 hours of slack: the log writes the endpoint's local time, the reference is UTC), then the
 * year before.
 */
export function anchorFromReference(reference: Date, last: LogTime): YearAnchor {
  const refYear = reference.getUTCFullYear();
  const latest = reference.getTime() + 36 * 3600 * 1000;
  // The latest year that does not put the last entry after the reference (Jan 01 00:30 local with
  // a reference of Dec 31 23:30 UTC is the next year's).
  let lastYear = refYear - 1;
  for (const y of [refYear + 1, refYear]) {
    if (Date.UTC(y, last.month - 1, last.day) + last.seconds * 1000 <= latest) {
      lastYear = y;
      break;
    }
  }
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
