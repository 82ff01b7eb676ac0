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
 * requests pays one disk sync instead of one each. Each write runs in its own savepoint: one that throws
 * is rolled back and rejected alone. A durable write's promise resolves only once its commit is on disk
 * (WalSync); a non-durable one (claims, leases: losing them in a crash changes nothing) at commit.
 */
export class GroupCommit {
  private queue: Queued[] = [];

  constructor(
    private readonly db: Database,
    private readonly wal: WalSync,
  ) {}

  run<T>(work: () => T, durable = true): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, durable, resolve: resolve as (v: unknown) => void, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.db.transaction(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: this.db.transaction(item.work)() });
          } catch (err) {
            outcomes.push({ ok: false, value: err });
          }
        }
      })();
    } catch (err) {
      for (const item of batch) item.reject(err);
      return;
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
