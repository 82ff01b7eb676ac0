/** A token bucket: `rate` tokens per second, bursts up to `burst`. Time is injected for tests. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst = Math.max(1, rate),
    now = Date.now(),
  ) {
    this.tokens = this.burst;
    this.last = now;
  }

  /** Takes a token if one is there; otherwise returns the milliseconds until one will be. */
  take(now = Date.now()): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.rate);
  }
}
