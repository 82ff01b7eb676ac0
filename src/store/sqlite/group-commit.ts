import type { Database } from 'better-sqlite3';
import type { WalSync } from './wal-sync.js';

interface Queued {
  work: () => unknown;
  durable: boolean;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/**
 * Group commit: writes queued during one event-loop turn run in one transaction, so a burst of API
 * requests pays one disk sync instead of one each. A write that throws is rejected alone: the batch is
 * rolled back and replayed with a savepoint per write (writes only touch the database, so a replay is
 * safe; savepoints on every batch cost a fifth of the dispatcher's time). A durable write's promise
 * resolves only once its commit is on disk (WalSync); a non-durable one (claims, leases: losing them in
 * a crash changes nothing) at commit.
 */
export class GroupCommit {
  private queue: Queued[] = [];

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

  run<T>(work: () => T, durable = true): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, durable, resolve: resolve as (v: unknown) => void, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
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
