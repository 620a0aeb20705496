/**
 * Bounded heavy hitters: the Space-Saving algorithm (Metwally, Agrawal, El Abbadi, "Efficient
 * computation of frequent and top-k elements in data streams", ICDT 2005).
 *
 * At most `capacity` keys are monitored. While fewer distinct keys than that have been seen, every
 * count is exact (a plain map). Once the table is full, a new key replaces the monitored key with
 * the smallest count `min` and starts at `min + 1` with `error = min`. Guarantees, for a stream of
 * total weight N:
 *   - every monitored key's true count lies in `[count - error, count]`;
 *   - `error <= min <= N / capacity`;
 *   - every key whose true count exceeds `N / capacity` is monitored (no heavy hitter is lost).
 * A key with `error === 0` has an exact count. Memory is O(capacity) whatever the stream.
 *
 * Each entry also carries two secondary counters (`excluded`, `work`) added with its count; for a
 * key that replaced another they count only since it entered (lower bounds, off by at most `error`).
 */
import { detach } from '../text/lines';

export interface HeavyEntry {
  /** The key (lower case for paths: Windows paths compare case-insensitively). */
  key: string;
  /** How the key was first written (original letter case). */
  display: string;
  count: number;
  /** Over-estimation bound: the true count is at least `count - error`. */
  error: number;
  /** Of `count`, events already excluded (by the policy or as the connector logged). */
  excluded: number;
  /** Follow-up engine lines attributed to this key (processes only). */
  work: number;
  /** Position in the heap (once the table is full). */
  slot: number;
}

export class SpaceSaving {
  private readonly map = new Map<string, HeavyEntry>();
  /** Min-heap on `count`, built when the table first fills. */
  private heap: HeavyEntry[] | undefined;
  /** Total weight added. */
  total = 0;
  /** Keys that replaced another (0 while every count is exact). */
  replacements = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1');
  }

  get size(): number {
    return this.map.size;
  }

  /** The smallest monitored count once the table is full (the error bound of a newcomer), else 0. */
  get floor(): number {
    return this.heap ? this.heap[0]!.count : 0;
  }

  /** The current entry of a key, if monitored. */
  get(key: string): HeavyEntry | undefined {
    return this.map.get(key);
  }

  /**
   * Counts one occurrence of `key` if it is monitored (true), else does nothing (false): lets a
   * caller build `display` only for a key that enters the table.
   */
  bump(key: string, excluded: boolean, work = 0): boolean {
    const e = this.map.get(key);
    if (e === undefined) return false;
    this.total++;
    e.count++;
    if (excluded) e.excluded++;
    e.work += work;
    if (this.heap) this.down(e.slot);
    return true;
  }

  /**
   * Counts one occurrence of `key`. `display` is kept only when the key enters the table; strings
   * are copied then, so a key cut from a streamed chunk never pins the chunk.
   */
  add(key: string, display: string, excluded: boolean, work = 0): HeavyEntry {
    const e = this.map.get(key);
    if (e !== undefined) {
      this.total++;
      e.count++;
      if (excluded) e.excluded++;
      e.work += work;
      if (this.heap) this.down(e.slot);
      return e;
    }
    return this.insert(key, display, excluded, work);
  }

  /**
   * Adds a key known not to be monitored (after `bump` returned false). `own`: the key is already a
   * string of its own (not cut from a chunk) and is kept as it is.
   */
  insert(key: string, display: string, excluded: boolean, work = 0, own = false): HeavyEntry {
    this.total++;
    const k = own ? key : detach(key);
    const d = display === key ? k : detach(display);
    if (this.map.size < this.capacity) {
      const e: HeavyEntry = { key: k, display: d, count: 1, error: 0, excluded: excluded ? 1 : 0, work, slot: -1 };
      this.map.set(k, e);
      if (this.map.size === this.capacity) this.build();
      return e;
    }
    // Full: the key with the smallest count makes room; the newcomer inherits its count as error.
    const heap = this.heap!;
    const victim = heap[0]!;
    this.map.delete(victim.key);
    this.replacements++;
    const min = victim.count;
    victim.key = k;
    victim.display = d;
    victim.count = min + 1;
    victim.error = min;
    victim.excluded = excluded ? 1 : 0;
    victim.work = work;
    this.map.set(k, victim);
    this.down(0);
    return victim;
  }

  /** The `n` largest entries, largest first (ties by key, for stable output). */
  top(n: number): HeavyEntry[] {
    const all = [...this.map.values()];
    all.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return n >= all.length ? all : all.slice(0, n);
  }

  /** Every monitored entry (no order). */
  entries(): IterableIterator<HeavyEntry> {
    return this.map.values();
  }

  private build(): void {
    const heap = [...this.map.values()];
    heap.forEach((e, i) => (e.slot = i));
    this.heap = heap;
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** Restores the heap below `i` after its count grew. */
  private down(i: number): void {
    const heap = this.heap!;
    const n = heap.length;
    const e = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && heap[r]!.count < heap[l]!.count ? r : l;
      const child = heap[c]!;
      if (child.count >= e.count) break;
      heap[i] = child;
      child.slot = i;
      i = c;
    }
    heap[i] = e;
    e.slot = i;
  }
}
