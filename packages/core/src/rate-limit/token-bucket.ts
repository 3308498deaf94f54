import type { RateLimitBudget } from '../options/rate-limit-options.interface.js';

/**
 * A token bucket: `points` tokens, refilled continuously at `points / durationMs`. O(1) and
 * allocation-free per message, as it runs on every one.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly budget: RateLimitBudget,
    now = Date.now(),
  ) {
    this.tokens = budget.points;
    this.refilledAt = now;
  }

  /** Takes a token: 0 when allowed, else how long until one is available, in milliseconds. */
  take(now = Date.now()): number {
    const { points, durationMs } = this.budget;
    this.tokens = Math.min(points, this.tokens + ((now - this.refilledAt) * points) / durationMs);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * durationMs) / points);
  }

  /** Whether the bucket would be full at `now` (it can then be forgotten). */
  isFull(now = Date.now()): boolean {
    const { points, durationMs } = this.budget;
    return this.tokens + ((now - this.refilledAt) * points) / durationMs >= points;
  }
}
