/**
 * Timers that stop() can cancel all at once, so that a stopped simulator leaves nothing running. Jobs given
 * to `batch` that fall due in the same millisecond share one timer and run in one callback, so the packets
 * they write leave in one socket write (Link flushes once per tick) instead of one write each.
 */
export class TimerSet {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly batches = new Map<number, (() => void)[]>();

  after(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  batch(ms: number, job: () => void): void {
    const due = Date.now() + ms;
    const jobs = this.batches.get(due);
    if (jobs) {
      jobs.push(job);
      return;
    }
    const batch = [job];
    this.batches.set(due, batch);
    this.after(ms, () => {
      this.batches.delete(due);
      for (const run of batch) run();
    });
  }

  /** Resolves with `value` after `ms` (batched); never resolves if the set is cleared first. */
  later<T>(ms: number, value: T): Promise<T> {
    return new Promise((resolve) => this.batch(ms, () => resolve(value)));
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.batches.clear();
  }
}
