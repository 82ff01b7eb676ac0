import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  backoffDelay,
  pollAfterTraffic,
  setBusyPollWindow,
  TokenBucket,
  Window,
} from '../../src/session/index.js';
import { SequenceIds } from '../../src/session/sequence.js';
import { sleep } from '../../src/session/sleep.js';

describe('TokenBucket', () => {
  it('rate 10/s: 10 tokens at once, then one every ~100 ms', () => {
    const bucket = new TokenBucket(10, undefined, 1_000);
    for (let i = 0; i < 10; i++) expect(bucket.take(1_000)).toBe(0);
    expect(bucket.take(1_000)).toBe(100);
    expect(bucket.take(1_050)).toBe(50);
    expect(bucket.take(1_100)).toBe(0);
    expect(bucket.take(1_100)).toBe(100);
  });

  it('never holds more than its burst', () => {
    const bucket = new TokenBucket(10, 3, 0);
    for (let i = 0; i < 3; i++) expect(bucket.take(60_000)).toBe(0);
    expect(bucket.take(60_000)).toBeGreaterThan(0);
  });

  it('the rate is kept over time: 1 s at 10/s gives burst + 10 tokens', () => {
    const bucket = new TokenBucket(10, 10, 0);
    let granted = 0;
    for (let t = 0; t <= 1000; t += 5) {
      while (bucket.take(t) === 0) granted++;
    }
    expect(granted).toBe(20);
  });

  it('uses the clock by default (fake Date)', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 0 });
    try {
      const bucket = new TokenBucket(10);
      for (let i = 0; i < 10; i++) expect(bucket.take()).toBe(0);
      const wait = bucket.take();
      expect(wait).toBeGreaterThanOrEqual(99);
      expect(wait).toBeLessThanOrEqual(100);
      vi.setSystemTime(wait);
      expect(bucket.take()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a fractional rate waits longer than a second', () => {
    const bucket = new TokenBucket(0.5, 1, 0);
    expect(bucket.take(0)).toBe(0);
    expect(bucket.take(0)).toBe(2000);
  });
});

describe('backoffDelay', () => {
  it('stays within [ceiling/2, ceiling], the ceiling doubling up to the cap', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const ceiling = Math.min(30_000, 1000 * 2 ** attempt);
      for (const r of [0, 0.25, 0.5, 0.999, 1]) {
        const d = backoffDelay(attempt, 1000, 30_000, () => r);
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('exact values at the ends of the jitter', () => {
    expect(backoffDelay(0, 100, 5000, () => 0)).toBe(50);
    expect(backoffDelay(0, 100, 5000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 5000, () => 1)).toBe(800);
    expect(backoffDelay(10, 100, 5000, () => 0)).toBe(2500);
    expect(backoffDelay(10, 100, 5000, () => 1)).toBe(5000);
  });

  it('huge attempt numbers do not overflow', () => {
    const d = backoffDelay(1e9, 1000, 30_000, () => 0.5);
    expect(Number.isFinite(d)).toBe(true);
    expect(d).toBeLessThanOrEqual(30_000);
    expect(d).toBeGreaterThanOrEqual(15_000);
  });

  it('uses Math.random by default and stays in bounds', () => {
    for (let i = 0; i < 1000; i++) {
      const d = backoffDelay(2, 100, 1000);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });
});

describe('Window', () => {
  it('gives out `size` slots, then queues waiters in order', async () => {
    const w = new Window(2);
    expect(w.tryTake()).toBe(true);
    await w.take();
    expect(w.inUse).toBe(2);
    expect(w.tryTake()).toBe(false);

    const order: number[] = [];
    const waiters = [1, 2, 3].map((i) => w.take().then(() => order.push(i)));
    expect(w.waiting).toBe(3);
    w.release();
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual([1]);
    // The slot went straight to the waiter.
    expect(w.inUse).toBe(2);
    w.release();
    w.release();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
    expect(w.waiting).toBe(0);
    w.release();
    w.release();
    expect(w.inUse).toBe(0);
  });

  it('tryTake does not jump the queue while someone waits', () => {
    const w = new Window(1);
    expect(w.tryTake()).toBe(true);
    const waiting = w.take();
    w.release(); // handed to the waiter
    expect(w.tryTake()).toBe(false);
    return waiting;
  });

  it('rejectWaiters fails every waiter, keeps the slots in use', async () => {
    const w = new Window(1);
    await w.take();
    const a = w.take();
    const b = w.take();
    const err = new Error('closing');
    w.rejectWaiters(err);
    await expect(a).rejects.toBe(err);
    await expect(b).rejects.toBe(err);
    expect(w.waiting).toBe(0);
    expect(w.inUse).toBe(1);
    w.release();
    expect(w.inUse).toBe(0);
    expect(w.tryTake()).toBe(true);
  });
});

describe('SequenceIds', () => {
  const none = { has: () => false };

  it('starts at 1 and counts up', () => {
    const ids = new SequenceIds();
    expect([ids.take(none), ids.take(none), ids.take(none)]).toEqual([1, 2, 3]);
  });

  it('wraps at 0xFFFFFFFF to 0', () => {
    const ids = new SequenceIds(0xfffffffe);
    expect([ids.take(none), ids.take(none), ids.take(none), ids.take(none)]).toEqual([
      0xfffffffe, 0xffffffff, 0, 1,
    ]);
  });

  it('skips ids still in flight, across the wrap too', () => {
    const inFlight = new Set([0xffffffff, 0, 2]);
    const ids = new SequenceIds(0xfffffffe);
    expect([ids.take(inFlight), ids.take(inFlight), ids.take(inFlight)]).toEqual([0xfffffffe, 1, 3]);
  });

  it('a start beyond 32 bits is reduced to 32 bits', () => {
    expect(new SequenceIds(2 ** 32 + 5).take(none)).toBe(5);
  });
});

describe('sleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves after its delay, or at once when cancelled', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let done = false;
    const s = sleep(1000);
    s.done.then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);

    let cancelled = false;
    const c = sleep(60_000);
    c.done.then(() => {
      cancelled = true;
    });
    c.cancel();
    await Promise.resolve();
    await Promise.resolve();
    expect(cancelled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('busy polling after traffic', () => {
  const spinning = () => process.getActiveResourcesInfo().includes('Immediate');
  afterEach(() => setBusyPollWindow(0));

  it('is off by default: traffic leaves the event loop free to block', async () => {
    await new Promise((r) => setImmediate(r));
    pollAfterTraffic();
    expect(spinning()).toBe(false);
  });

  it('with a window, keeps the loop turning until the window after the last packet has passed', async () => {
    setBusyPollWindow(20);
    pollAfterTraffic();
    expect(spinning()).toBe(true);
    await sleep(10).done;
    expect(spinning()).toBe(true);
    await sleep(40).done;
    expect(spinning()).toBe(false);
  });
});
