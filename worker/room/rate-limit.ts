/** A token bucket per connection. Kept in memory: hibernation resets it, which is
 * harmless (a sleeping room was idle, so the bucket would have refilled anyway). */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
    this.last = Date.now();
  }

  /** Takes one token; returns 0 if allowed, else the milliseconds until one is free. */
  take(now = Date.now()): number {
    return this.takeN(1, now);
  }

  /** Takes `n` tokens (bytes, say) if there are that many; else the wait until there are. */
  takeN(n: number, now = Date.now()): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= n) {
      this.tokens -= n;
      return 0;
    }
    return Math.ceil(((n - this.tokens) / this.perSecond) * 1000);
  }

  /** Spends `n` more tokens at once, going into debt if need be (the refill pays it). */
  charge(n: number, now = Date.now()): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond) - n;
    this.last = now;
  }
}
