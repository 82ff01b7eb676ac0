import type { Database } from 'better-sqlite3';
import { MAX_COMMIT_WEIGHT } from '../limits.js';
import type { WalSync } from './wal-sync.js';

interface Queued {
  work: () => unknown;
  durable: boolean;
  weight: number;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** Writes that flush at once even while a WAL sync runs (bounds a transaction's size). */
const MAX_WAITING = 512;

/**
 * Group commit: queued writes run in one transaction, so a burst of API requests pays one commit and one
 * disk sync instead of one each. Writes queued while a WAL sync runs wait for it to finish (they could not
 * be durable sooner anyway), so under load each sync is followed by one commit of everything that arrived
 * meanwhile, and each commit's fixed cost is shared by more writes. Non-durable writes (claims) wait too:
 * flushing for each at once made half again as many commits (each rewriting the same hot pages) to win a
 * sync's time, which the dispatcher's prefetched segments cover. A write that throws is rejected alone:
 * the batch is rolled back and replayed with a savepoint per write (writes only touch the database, so a
 * replay is safe; savepoints on every batch cost a fifth of the dispatcher's time). A durable write's
 * promise resolves only once its commit is on disk (WalSync); a non-durable one (claims, leases: losing
 * them in a crash changes nothing) at commit. A write weighs what it inserts (default 1); past
 * MAX_COMMIT_WEIGHT, heavy writes wait for the next commit while light ones still join this one.
 */
export class GroupCommit {
  private queue: Queued[] = [];
  private scheduled = false;
  private waitingForSync = false;

  constructor(
    private readonly db: Database,
    private readonly wal: WalSync,
  ) {}

  /** The replay after a failed batch: each write in its own savepoint, the failing ones rolled back alone. */
  private isolated(batch: Queued[]): { ok: boolean; value: unknown }[] {
    return this.db.transaction(() =>
      batch.map((item) => {
        try {
          return { ok: true, value: this.db.transaction(item.work)() };
        } catch (err) {
          return { ok: false, value: err };
        }
      }),
    )();
  }

  run<T>(work: () => T, durable = true, weight = 1): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, durable, weight, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    if (this.wal.busy && this.queue.length < MAX_WAITING) {
      if (!this.waitingForSync) {
        this.waitingForSync = true;
        this.wal.idle().then(() => {
          this.waitingForSync = false;
          this.schedule();
        });
      }
      return;
    }
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** The writes of the next transaction: in queue order, heavy ones past the weight limit left queued. */
  private take(): Queued[] {
    let weight = 0;
    const batch: Queued[] = [];
    const rest: Queued[] = [];
    for (const item of this.queue) {
      if (item.weight > 1 && weight > 0 && weight + item.weight > MAX_COMMIT_WEIGHT) rest.push(item);
      else {
        batch.push(item);
        weight += item.weight;
      }
    }
    this.queue = rest;
    return batch;
  }

  /** Commits the next batch, then schedules what it left queued (after this commit's sync has started). */
  private flush(): void {
    const batch = this.take();
    this.scheduled = false;
    this.commitBatch(batch);
    this.schedule();
  }

  private commitBatch(batch: Queued[]): void {
    let outcomes: { ok: boolean; value: unknown }[];
    try {
      outcomes = this.db.transaction(() => batch.map((item) => ({ ok: true, value: item.work() })))();
    } catch {
      try {
        outcomes = this.isolated(batch);
      } catch (err) {
        for (const item of batch) item.reject(err);
        return;
      }
    }
    const settle = (item: Queued, i: number) => {
      if (outcomes[i].ok) item.resolve(outcomes[i].value);
      else item.reject(outcomes[i].value);
    };
    batch.forEach((item, i) => {
      if (!item.durable) settle(item, i);
    });
    if (!batch.some((item) => item.durable)) return;
    this.wal.sync().then(
      () => {
        for (const [i, item] of batch.entries()) if (item.durable) settle(item, i);
      },
      (err) => {
        for (const item of batch) if (item.durable) item.reject(err);
      },
    );
  }
}
