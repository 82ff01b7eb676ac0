import { describe, expect, it } from 'vitest';
import { TurnBatch } from '../../src/gateway/turn-batch.js';

describe('TurnBatch', () => {
  it('joins the calls of one turn into one run, in call order; a later turn gets its own run', async () => {
    const runs: number[][] = [];
    const batch = new TurnBatch<number>(async (items) => {
      runs.push(items);
      return undefined;
    });
    await Promise.all([batch.add([1, 2]), batch.add([3]), batch.add([])]);
    await batch.add([4]);
    expect(runs).toEqual([[1, 2, 3], [4]]);
  });

  it('a call that would take a run past maxItems starts a new run; one call is never split', async () => {
    const runs: number[][] = [];
    const batch = new TurnBatch<number, number>(async (items) => {
      runs.push(items);
      return items.map((n) => n * 10);
    }, 3);
    const results = await Promise.all([
      batch.add([1, 2]),
      batch.add([3, 4]),
      batch.add([5]),
      batch.add([6, 7, 8, 9]),
    ]);
    expect(runs).toEqual([
      [1, 2],
      [3, 4, 5],
      [6, 7, 8, 9],
    ]);
    expect(results).toEqual([[10, 20], [30, 40], [50], [60, 70, 80, 90]]);
  });

  it('a run that answers one result per item gives each caller the results of its own items', async () => {
    const batch = new TurnBatch<number, string>(async (items) => items.map((n) => `#${n}`));
    const [a, b, c] = await Promise.all([batch.add([1, 2]), batch.add([]), batch.add([3])]);
    expect([a, b, c]).toEqual([['#1', '#2'], [], ['#3']]);
  });

  it('a run that answers the wrong number of results fails every caller', async () => {
    const batch = new TurnBatch<number, string>(async () => ['only one']);
    const results = await Promise.allSettled([batch.add([1]), batch.add([2])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('every caller of a run that fails gets its error', async () => {
    const batch = new TurnBatch<number>(async () => {
      throw new Error('store down');
    });
    const results = await Promise.allSettled([batch.add([1]), batch.add([2])]);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual([
      'store down',
      'store down',
    ]);
  });

  it('a caller resolves only once the run has finished', async () => {
    let finish!: () => void;
    const batch = new TurnBatch<number>(() => new Promise<undefined>((r) => (finish = () => r(undefined))));
    let done = false;
    const added = batch.add([1]).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    finish();
    await added;
    expect(done).toBe(true);
  });
});
