/**
 * Events over time, bucketed: per log while it streams (keyed by its own clock: year offset,
 * month, day and time of day, since the year is known only at the log's end), then per set on an
 * absolute time axis once each log's year is known. Memory is bounded by MAX_BUCKETS per map: past
 * it, buckets widen along WIDTHS (each divides the next and the day, so merging is exact); at a day
 * per bucket, events on further days are left out of the timeline and counted (`dropped`).
 */
import { MONTHS, type LogTime } from '../log/year';
import type { TimeBucket, TuneTimeline } from './types';

/** Bucket widths in seconds: 1 min, 5 min, 15 min, 30 min, 1 h, 3 h, 6 h, 12 h, 1 day. */
export const WIDTHS = [60, 300, 900, 1800, 3600, 10800, 21600, 43200, 86400] as const;
/** Buckets one map holds before widening (two weeks of minutes). */
export const MAX_BUCKETS = 20_160;
/** Year used for logs whose year cannot be inferred (a leap year, so 29 February has a place). */
const NOMINAL_YEAR = 2000;

export type BucketField = 'fileEvents' | 'engine' | 'cloud' | 'cache' | 'exclusionHits' | 'innerScans';

export interface Counts {
  fileEvents: number;
  engine: number;
  cloud: number;
  cache: number;
  exclusionHits: number;
  innerScans: number;
}

const zero = (): Counts => ({ fileEvents: 0, engine: 0, cloud: 0, cache: 0, exclusionHits: 0, innerScans: 0 });

function addCounts(into: Counts, from: Counts): void {
  into.fileEvents += from.fileEvents;
  into.engine += from.engine;
  into.cloud += from.cloud;
  into.cache += from.cache;
  into.exclusionHits += from.exclusionHits;
  into.innerScans += from.innerScans;
}

const total = (c: Counts) => c.fileEvents + c.engine + c.cloud + c.cache + c.exclusionHits + c.innerScans;

/** One log's buckets on its own clock. */
export class LogTimeline {
  width: number = WIDTHS[0];
  private slots = 86400 / this.width;
  readonly buckets = new Map<number, Counts>();
  private lastKey = NaN;
  private last: Counts | undefined;
  /** Events left out: MAX_BUCKETS days were already held (counted in the totals, not in the timeline). */
  dropped = 0;
  /** Times the buckets were widened (at most WIDTHS.length - 1). */
  widenings = 0;

  add(t: LogTime, field: BucketField): void {
    const key = (((t.yearOffset + 2) * 13 + t.month) * 32 + t.day) * this.slots + Math.floor(t.seconds / this.width);
    let b = key === this.lastKey ? this.last : this.buckets.get(key);
    if (b === undefined) {
      if (this.buckets.size >= MAX_BUCKETS) {
        // Widen when a wider width exists; at a day per bucket, the event is left out (and counted).
        if (this.widen()) this.add(t, field);
        else this.dropped++;
        return;
      }
      b = zero();
      this.buckets.set(key, b);
    }
    this.lastKey = key;
    this.last = b;
    b[field]++;
  }

  /** The bucket's start as a clock: year offset, month, day, seconds of the day. */
  decode(key: number): { yearOffset: number; month: number; day: number; seconds: number } {
    const slot = key % this.slots;
    const dayKey = Math.floor(key / this.slots);
    return { day: dayKey % 32, month: Math.floor(dayKey / 32) % 13, yearOffset: Math.floor(dayKey / 416) - 2, seconds: slot * this.width };
  }

  /** Widens the buckets to the next width; false (and nothing copied) when they are a day already. */
  private widen(): boolean {
    const next = WIDTHS.find((w) => w > this.width);
    if (next === undefined) return false;
    this.widenings++;
    const old = [...this.buckets].map(([k, c]) => [this.decode(k), c] as const);
    this.width = next;
    this.slots = 86400 / next;
    this.buckets.clear();
    this.lastKey = NaN;
    this.last = undefined;
    for (const [t, c] of old) {
      const key = (((t.yearOffset + 2) * 13 + t.month) * 32 + t.day) * this.slots + Math.floor(t.seconds / next);
      const b = this.buckets.get(key);
      if (b) addCounts(b, c);
      else this.buckets.set(key, c);
    }
    return true;
  }
}

/** A set's buckets on an absolute axis (milliseconds of the log's clock read as UTC). */
export class SetTimeline {
  width: number = WIDTHS[0];
  private readonly buckets = new Map<number, Counts>();
  private knownYears = 0;
  private unknownYears = 0;
  private lastYear: number | undefined;
  /** Events left out of the timeline (see LogTimeline.dropped). */
  private dropped = 0;

  /** Adds a finished log's buckets; `baseYear` is its inferred year at offset 0, when known. */
  merge(log: LogTimeline, baseYear: number | undefined): void {
    this.dropped += log.dropped;
    if (log.buckets.size === 0) return;
    if (baseYear === undefined) this.unknownYears++;
    else {
      this.knownYears++;
      this.lastYear = baseYear;
    }
    const year = baseYear ?? this.lastYear ?? NOMINAL_YEAR;
    while (this.width < log.width) this.widen();
    const ms = this.width * 1000;
    for (const [key, c] of log.buckets) {
      const t = log.decode(key);
      const epoch = Date.UTC(year + t.yearOffset, t.month - 1, t.day) + t.seconds * 1000;
      this.put(Math.floor(epoch / ms) * ms, c);
    }
  }

  private put(start: number, c: Counts): void {
    const b = this.buckets.get(start);
    if (b) addCounts(b, c);
    else if (this.buckets.size < MAX_BUCKETS) this.buckets.set(start, { ...c });
    else if (this.widen()) this.put(Math.floor(start / (this.width * 1000)) * this.width * 1000, c);
    else this.dropped += total(c);
  }

  /** Widens to the next width; false (nothing copied) at a day per bucket. */
  private widen(): boolean {
    const next = WIDTHS.find((w) => w > this.width);
    if (next === undefined) return false;
    this.width = next;
    const old = [...this.buckets];
    this.buckets.clear();
    const ms = next * 1000;
    for (const [start, c] of old) this.put(Math.floor(start / ms) * ms, c);
    return true;
  }

  result(peaks: number): TuneTimeline {
    const yearKnown = this.knownYears > 0 && this.unknownYears === 0;
    const buckets = [...this.buckets]
      .sort((a, b) => a[0] - b[0])
      .map(([start, c]) => {
        const d = new Date(start);
        const p = (n: number) => String(n).padStart(2, '0');
        const hhmm = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
        const b: TimeBucket = { start: `${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${hhmm}`, total: total(c), ...c };
        if (yearKnown) b.iso = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${hhmm}`;
        return b;
      });
    // Busiest first; ties in time order.
    const top = buckets
      .map((b, i) => [b, i] as const)
      .sort((x, y) => y[0].total - x[0].total || x[1] - y[1])
      .slice(0, peaks)
      .map(([b]) => b);
    const out: TuneTimeline = { bucketSeconds: this.width, yearKnown, buckets, peaks: top };
    if (this.dropped > 0) out.dropped = this.dropped;
    return out;
  }
}
