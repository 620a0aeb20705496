import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LruPool } from '../../src/extension/lru';

/** A pool on a clock the test moves. */
function pool(cap: number, nested = false): { p: LruPool<string>; tick: (ms?: number) => number } {
  let t = 1000;
  const p = new LruPool<string>(cap, nested, () => t);
  return { p, tick: (ms = 1) => (t += ms) };
}

describe('LruPool (bounded archive caches of the bundle file system)', () => {
  it('evicts the least recently used beyond the cap, a use counting as recent', () => {
    const { p, tick } = pool(2);
    p.set('a', 'A');
    tick();
    p.set('b', 'B');
    tick();
    p.acquire('a')(); // a is used again: b is now the oldest
    tick();
    p.set('c', 'C');
    assert.deepEqual(p.evict(), ['B']);
    assert.equal(p.size, 2);
    assert.equal(p.get('b'), undefined);
    assert.equal(p.get('a'), 'A');
    assert.deepEqual(p.evict(), [], 'nothing beyond the cap');
  });

  it('never evicts a busy value, and evicts it once released', () => {
    const { p, tick } = pool(1);
    p.set('a', 'A');
    const releaseA = p.acquire('a');
    tick();
    p.set('b', 'B');
    const releaseB = p.acquire('b');
    assert.deepEqual(p.evict(), [], 'both busy: over the cap for now');
    assert.equal(p.size, 2);
    releaseA();
    releaseA(); // releasing twice counts once
    assert.deepEqual(p.evict(), ['A']);
    releaseB();
    assert.deepEqual(p.evict(), []);
    assert.equal(p.get('b'), 'B');
  });

  it('counts overlapping uses of one value', () => {
    const { p } = pool(0);
    p.set('a', 'A');
    const r1 = p.acquire('a');
    const r2 = p.acquire('a');
    r1();
    assert.deepEqual(p.evict(), [], 'still busy through the second use');
    r2();
    assert.deepEqual(p.evict(), ['A']);
  });

  it('drops the chains inside a nested value with it, counting them towards the cap', () => {
    const { p, tick } = pool(2, true);
    p.set('x.7z', 'X');
    tick();
    p.set('x.7z/d/y.zip', 'Y');
    tick();
    p.set('x.7z2', 'not inside x.7z');
    tick();
    p.set('z.zip', 'Z');
    // x.7z is the oldest: it goes with y.zip (opened from it), which brings the pool to the cap.
    assert.deepEqual(p.evict(), ['X', 'Y']);
    assert.deepEqual(p.values().sort(), ['Z', 'not inside x.7z']);
  });

  it('keeps a nested value whose inner chain is busy', () => {
    const { p, tick } = pool(1, true);
    p.set('x.7z', 'X');
    tick();
    p.set('x.7z/y.7z', 'Y');
    const release = p.acquire('x.7z/y.7z');
    tick();
    p.set('z.zip', 'Z');
    tick();
    // x.7z is the least recently used but y.7z, inside it, is busy; y.7z itself is busy; z.zip goes.
    assert.deepEqual(p.evict(), ['Z']);
    release();
    assert.deepEqual(p.evict(), ['X', 'Y']);
    assert.equal(p.size, 0);
  });

  it('a walk marks each chain it passes through: the outer one stays although older', () => {
    const { p, tick } = pool(2, true);
    p.set('a.zip', 'A');
    const held = [p.acquire('a.zip')];
    tick();
    p.set('a.zip/b.7z', 'B');
    held.push(p.acquire('a.zip/b.7z'));
    tick();
    p.set('c.7z', 'C');
    tick();
    p.set('d.7z', 'D');
    assert.deepEqual(p.evict(), ['C', 'D'], 'the walk holds a.zip and a.zip/b.7z: the others go');
    for (const release of held) release();
    tick();
    p.set('e.7z', 'E');
    // a.zip was released before a.zip/b.7z: it is the oldest, and takes b.7z with it.
    assert.deepEqual(p.evict(), ['A', 'B']);
  });

  it('closes the idle ones that are not busy', () => {
    const { p, tick } = pool(10, true);
    p.set('a', 'A');
    p.set('b', 'B');
    p.set('b/c', 'C');
    const release = p.acquire('b/c');
    const before = tick(100);
    p.set('d', 'D');
    assert.deepEqual(p.idle(before), ['A'], 'b is not idle while b/c, inside it, is busy');
    release();
    tick();
    assert.deepEqual(p.idle(before), [], 'b/c was just used: b, which holds it, is not idle either');
    assert.deepEqual(p.idle(tick(100)), ['B', 'C', 'D']);
    assert.equal(p.size, 0);
  });

  it('a release after the key was dropped and set again leaves the new value alone', () => {
    const { p, tick } = pool(0);
    p.set('a', 'old');
    const release = p.acquire('a');
    assert.deepEqual(p.delete('a'), ['old']);
    p.set('a', 'new');
    const releaseNew = p.acquire('a');
    release();
    assert.deepEqual(p.evict(), [], 'the new value is still busy');
    releaseNew();
    tick();
    assert.deepEqual(p.evict(), ['new']);
  });

  it('deletes only the value given (a failed open does not drop its replacement)', () => {
    const { p } = pool(5, true);
    p.set('a', 'first');
    p.set('a', 'second');
    assert.deepEqual(p.delete('a', 'first'), []);
    assert.equal(p.get('a'), 'second');
    p.set('a/b', 'inner');
    assert.deepEqual(p.delete('a', 'second'), ['second', 'inner']);
    assert.deepEqual(p.clear(), []);
  });
});
