import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MAX_COMMIT_WEIGHT } from '../../src/store/limits.js';
import { GroupCommit } from '../../src/store/sqlite/group-commit.js';
import { WalSync } from '../../src/store/sqlite/wal-sync.js';

/**
 * A GroupCommit whose transactions are numbered: `write(name, weight)` queues a durable write that notes
 * in `ranIn` the transaction it ran in.
 */
function numbered() {
  const db = new Database(':memory:');
  let transactions = 0;
  const numbering = Object.create(db) as Database.Database;
  numbering.transaction = ((fn: () => unknown) => {
    const tx = db.transaction(fn);
    return () => {
      transactions++;
      return tx();
    };
  }) as Database.Database['transaction'];
  const commit = new GroupCommit(numbering, new WalSync(null));
  const ranIn = new Map<string, number>();
  const write = (name: string, weight: number) =>
    commit.run(() => ranIn.set(name, transactions), true, weight);
  return { write, ranIn };
}

describe('GroupCommit', () => {
  it('writes queued in one turn share one transaction', async () => {
    const { write, ranIn } = numbered();
    await Promise.all([write('a', 1), write('b', 10), write('c', 1)]);
    expect(new Set(ranIn.values()).size).toBe(1);
  });

  it('heavy writes past the weight limit wait for the next transaction; light ones still join', async () => {
    const { write, ranIn } = numbered();
    const heavy = Math.ceil(MAX_COMMIT_WEIGHT * 0.6);
    await Promise.all([
      write('bulk 1', heavy),
      write('bulk 2', heavy),
      write('outcome', 1),
      write('bulk 3', MAX_COMMIT_WEIGHT - heavy - 1),
      write('bulk 4', heavy),
    ]);
    const first = ranIn.get('bulk 1') as number;
    expect([ranIn.get('outcome'), ranIn.get('bulk 3')]).toEqual([first, first]);
    expect(ranIn.get('bulk 2')).toBeGreaterThan(first);
    expect(ranIn.get('bulk 4')).toBeGreaterThan(ranIn.get('bulk 2') as number);
  });

  it('a single write heavier than the limit still runs', async () => {
    const { write, ranIn } = numbered();
    await write('huge', MAX_COMMIT_WEIGHT * 5);
    expect(ranIn.has('huge')).toBe(true);
  });
});
