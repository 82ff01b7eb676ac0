/**
 * The send window (SPEC3 §7.1, W unanswered requests at most): a semaphore whose waiters are served in
 * order. A caller over the window waits; nobody is dropped or refused.
 */
export class Window {
  private active = 0;
  /** Waiters from `head` on; a moving head keeps release() O(1) with thousands waiting. */
  private waiters: { resolve(): void; reject(err: Error): void }[] = [];
  private head = 0;
  /** Callers of whenEmpty() waiting for the last slot to come back. */
  private emptyWaiters: (() => void)[] = [];

  constructor(readonly size: number) {}

  get inUse(): number {
    return this.active;
  }

  get waiting(): number {
    return this.waiters.length - this.head;
  }

  /** Takes a slot; resolves at once (synchronously usable via tryTake) or when one is released. */
  take(): Promise<void> {
    if (this.tryTake()) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  tryTake(): boolean {
    if (this.active >= this.size || this.waiting > 0) return false;
    this.active++;
    return true;
  }

  /** Gives the slot back, handing it straight to the first waiter if there is one. */
  release(): void {
    if (this.waiting === 0) {
      this.active--;
      if (this.active === 0) for (const resolve of this.emptyWaiters.splice(0)) resolve();
      return;
    }
    const next = this.waiters[this.head];
    this.waiters[this.head++] = undefined as never;
    if (this.head === this.waiters.length) {
      this.waiters = [];
      this.head = 0;
    }
    next.resolve();
  }

  /** Resolves once no slot is taken (every request answered). */
  whenEmpty(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  /** Fails every waiter (the owner is closing). */
  rejectWaiters(err: Error): void {
    const waiting = this.waiters.slice(this.head);
    this.waiters = [];
    this.head = 0;
    for (const w of waiting) w.reject(err);
  }
}
