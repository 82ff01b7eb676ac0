import type { Database } from 'better-sqlite3';

interface Queued {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/**
 * Group commit: writes queued during one event-loop turn run in one transaction, so a burst of API
 * requests pays one fsync instead of one each. Each write runs in its own savepoint: one that throws is
 * rolled back and rejected alone. A write's promise resolves only after the commit, i.e. once durable.
 */
export class GroupCommit {
  private queue: Queued[] = [];

  constructor(private readonly db: Database) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
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
    batch.forEach((item, i) => {
      if (outcomes[i].ok) item.resolve(outcomes[i].value);
      else item.reject(outcomes[i].value);
    });
  }
}
