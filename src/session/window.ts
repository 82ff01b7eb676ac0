/**
 * The send window (SPEC3 §7.1, W unanswered requests at most): a semaphore whose waiters are served in
 * order. A caller over the window waits; nobody is dropped or refused.
 */
export class Window {
  private active = 0;
  private readonly waiters: { resolve(): void; reject(err: Error): void }[] = [];

  constructor(readonly size: number) {}

  get inUse(): number {
    return this.active;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Takes a slot; resolves at once (synchronously usable via tryTake) or when one is released. */
  take(): Promise<void> {
    if (this.tryTake()) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  tryTake(): boolean {
    if (this.active >= this.size || this.waiters.length > 0) return false;
    this.active++;
    return true;
  }

  /** Gives the slot back, handing it straight to the first waiter if there is one. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next.resolve();
    else this.active--;
  }

  /** Fails every waiter (the owner is closing). */
  rejectWaiters(err: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}
