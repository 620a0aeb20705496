/**
 * The bookkeeping behind the bounded archive caches of `bundle-fs.ts`, kept free of `vscode` so
 * that it is unit-tested on its own: values by key, in least-recently-used order, each with a busy
 * count (requests under way through it) and the time it was last used. Nothing here closes
 * anything: every method that drops values returns them, and the caller closes them.
 */

interface Item<V> {
  value: V;
  /** Requests under way through this value: it is neither evicted nor closed as idle meanwhile. */
  busy: number;
  lastUsed: number;
}

export class LruPool<V> {
  /** Map order is recency order: the least recently used first (`touch` moves an item last). */
  private readonly items = new Map<string, Item<V>>();

  /**
   * `cap`: the most values `evict` leaves. `nested`: keys are `/`-separated chains, and a value is
   * inside the one whose key is a prefix of its own (`a/b.zip/c.7z` is inside `a/b.zip`): dropping
   * a value drops those inside it too, and one counts as busy (or recently used) while a value
   * inside it is.
   * `now`: the clock (tests pass their own).
   */
  constructor(
    readonly cap: number,
    private readonly nested = false,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.items.size;
  }

  get(key: string): V | undefined {
    return this.items.get(key)?.value;
  }

  values(): V[] {
    return [...this.items.values()].map((i) => i.value);
  }

  /** Adds (or replaces) a value, as the most recently used. */
  set(key: string, value: V): void {
    this.items.delete(key);
    this.items.set(key, { value, busy: 0, lastUsed: this.now() });
  }

  /**
   * Marks a value busy and most recently used; the returned function ends that (once), and counts
   * as a use too. It releases the item it marked even if the key was dropped or replaced meanwhile.
   * An unknown key: nothing to mark.
   */
  acquire(key: string): () => void {
    const item = this.items.get(key);
    if (!item) return () => undefined;
    item.busy++;
    this.touch(key, item);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      item.busy--;
      if (this.items.get(key) === item) this.touch(key, item);
    };
  }

  /** Drops a key (and, when nested, the keys inside it) if it still holds `value` (any value when omitted). */
  delete(key: string, value?: V): V[] {
    const item = this.items.get(key);
    if (!item || (value !== undefined && item.value !== value)) return [];
    return this.drop(key);
  }

  /** Drops the least recently used values that are not busy until at most `cap` are left. */
  evict(): V[] {
    const out: V[] = [];
    // Deleting from a Map while iterating it is safe: deleted items not yet visited are skipped.
    for (const key of this.items.keys()) {
      if (this.items.size <= this.cap) break;
      if (!this.isBusy(key)) out.push(...this.drop(key));
    }
    return out;
  }

  /** Drops the values that are not busy and were last used before `before`. */
  idle(before: number): V[] {
    const out: V[] = [];
    for (const key of this.items.keys()) {
      if (!this.isBusy(key) && this.family(key).every((i) => i.lastUsed < before)) out.push(...this.drop(key));
    }
    return out;
  }

  /** Drops everything. */
  clear(): V[] {
    const out = this.values();
    this.items.clear();
    return out;
  }

  private touch(key: string, item: Item<V>): void {
    item.lastUsed = this.now();
    this.items.delete(key);
    this.items.set(key, item);
  }

  private isBusy(key: string): boolean {
    return this.family(key).some((i) => i.busy > 0);
  }

  /** A key's item and those inside it. */
  private family(key: string): Item<V>[] {
    return [key, ...this.inside(key)].map((k) => this.items.get(k)!);
  }

  /** The keys inside a key (nested pools only). */
  private inside(key: string): string[] {
    if (!this.nested) return [];
    return [...this.items.keys()].filter((k) => k.startsWith(`${key}/`));
  }

  /** Removes a key and the keys inside it: its value first, then theirs. */
  private drop(key: string): V[] {
    const out: V[] = [];
    for (const k of [key, ...this.inside(key)]) {
      const item = this.items.get(k);
      if (!item) continue;
      this.items.delete(k);
      out.push(item.value);
    }
    return out;
  }
}
