/**
 * Joins the calls made during one event-loop turn into one call of `run` with all their items: the
 * SUBMIT_RESPs or reports read from every link in one poll phase become one store change (one transaction,
 * or with Redis one read and one script instead of two per item). Every caller's promise settles with that
 * call.
 */
export class TurnBatch<T> {
  private items: T[] = [];
  private waiters: { resolve(): void; reject(err: unknown): void }[] = [];

  constructor(private readonly run: (items: T[]) => Promise<unknown>) {}

  add(items: readonly T[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.waiters.length === 0) setImmediate(() => this.flush());
      for (const item of items) this.items.push(item);
      this.waiters.push({ resolve, reject });
    });
  }

  private flush(): void {
    const { items, waiters } = this;
    this.items = [];
    this.waiters = [];
    this.run(items).then(
      () => {
        for (const w of waiters) w.resolve();
      },
      (err) => {
        for (const w of waiters) w.reject(err);
      },
    );
  }
}
