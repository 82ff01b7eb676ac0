/**
 * Joins the calls made during one event-loop turn into one call of `run` with all their items: the
 * SUBMIT_RESPs or reports read from every link in one poll phase, or the messages of the API requests
 * parsed in one, become one store change (one transaction; with Redis one script instead of one per
 * call). Every caller's promise settles with that call. When `run` answers one result per item, each
 * caller gets the results of its own items; when it answers nothing, an empty list. A call that would
 * take a run past `maxItems` starts a new run (one caller's items are never split).
 */
export class TurnBatch<T, R = never> {
  private items: T[] = [];
  private waiters: {
    from: number;
    count: number;
    resolve(results: R[]): void;
    reject(err: unknown): void;
  }[] = [];

  constructor(
    private readonly run: (items: T[]) => Promise<R[] | undefined>,
    private readonly maxItems = Number.POSITIVE_INFINITY,
  ) {}

  add(items: readonly T[]): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      if (this.items.length > 0 && this.items.length + items.length > this.maxItems) this.flush();
      if (this.waiters.length === 0) setImmediate(() => this.flush());
      this.waiters.push({ from: this.items.length, count: items.length, resolve, reject });
      for (const item of items) this.items.push(item);
    });
  }

  private flush(): void {
    const { items, waiters } = this;
    if (waiters.length === 0) return;
    this.items = [];
    this.waiters = [];
    this.run(items).then(
      (results) => {
        if (results && results.length !== items.length) {
          const err = new Error(`TurnBatch: ${results.length} results for ${items.length} items`);
          for (const w of waiters) w.reject(err);
          return;
        }
        for (const w of waiters) w.resolve(results ? results.slice(w.from, w.from + w.count) : []);
      },
      (err) => {
        for (const w of waiters) w.reject(err);
      },
    );
  }
}
