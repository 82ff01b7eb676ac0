/** Admits at most `limit` events per calendar second: a fixed one-second window, reset when the second changes. */
export class PerSecondLimit {
  private second = -1;
  private used = 0;

  constructor(readonly limit: number) {}

  admit(nowMs = Date.now()): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.used = 0;
    }
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }
}
