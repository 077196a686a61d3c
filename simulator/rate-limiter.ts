// Sliding one-second window: at most `limit` accepted requests in any 1000 ms. Refused requests do not count.

export class SlidingWindowLimiter {
  private accepted: number[] = [];

  constructor(private readonly windowMs = 1000) {}

  /** true when the request may proceed (and is recorded); limit 0 means unlimited. */
  tryAcquire(limit: number, nowMs = Date.now()): boolean {
    if (limit <= 0) return true;
    this.accepted = this.accepted.filter((t) => nowMs - t < this.windowMs);
    if (this.accepted.length >= limit) return false;
    this.accepted.push(nowMs);
    return true;
  }

  reset(): void {
    this.accepted = [];
  }
}
