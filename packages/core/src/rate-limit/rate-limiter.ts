import type { RateLimitBudget, ResolvedRateLimitOptions } from '../options/rate-limit-options.interface.js';
import type { EventRateLimits } from './event-rate-limits.js';
import { TokenBucket } from './token-bucket.js';
import type { UserMessageCounter } from './user-message-counter.js';

/** What a refused message gets: how long to wait, and whether the connection must go. */
export interface RateLimitVerdict {
  retryAfterMs: number;
  disconnect: boolean;
}

/**
 * The app's rate limits: the module's `rateLimit` budget per connection, `@RateLimit()` budgets
 * per handler, and the optional per-user budget.
 */
export class RateLimiter {
  constructor(
    private readonly options: ResolvedRateLimitOptions | undefined,
    private readonly eventLimits: EventRateLimits,
    private readonly users: UserMessageCounter | undefined,
  ) {}

  /** Whether anything is limited at all; when not, connections get no limiter. */
  get enabled(): boolean {
    return this.options !== undefined || this.eventLimits.size > 0;
  }

  /** The limiter of one connection, in a namespace (or on a native gateway path). */
  forConnection(scope: string): ConnectionRateLimit {
    return new ConnectionRateLimit(this.options, this.eventLimits.get(scope), this.users);
  }

  close(): void {
    this.users?.close();
  }
}

/** One connection's budgets. `admit()` runs on every message: no allocation when allowed. */
export class ConnectionRateLimit {
  private readonly connectionBucket?: TokenBucket;
  private readonly eventBuckets = new Map<string, TokenBucket>();
  private refusedInARow = 0;

  constructor(
    private readonly options: ResolvedRateLimitOptions | undefined,
    private readonly eventBudgets: Map<string, RateLimitBudget | false> | undefined,
    private readonly users: UserMessageCounter | undefined,
  ) {
    if (options) this.connectionBucket = new TokenBucket(options);
  }

  /**
   * 0 when the message may be handled, else the milliseconds until it could be. The per-user
   * check is asynchronous when it is shared over Redis. A `@RateLimit(false)` event is exempt
   * from every budget; an `undefined` event (a frame too malformed to name one) draws on the
   * connection's.
   */
  admit(event: string | undefined, userId: string | undefined): number | Promise<number> {
    const budget = event === undefined ? undefined : this.eventBudgets?.get(event);
    if (budget === false) return 0;
    const wait = this.bucketFor(event, budget)?.take() ?? 0;
    if (wait > 0 || !this.users || userId === undefined) return this.settle(wait);
    const userWait = this.users.take(userId);
    return typeof userWait === 'number' ? this.settle(userWait) : userWait.then((ms) => this.settle(ms));
  }

  /** Whether the refusals in a row have reached `disconnectAfter`. */
  get mustDisconnect(): boolean {
    const limit = this.options?.disconnectAfter ?? 0;
    return limit > 0 && this.refusedInARow >= limit;
  }

  private bucketFor(event: string | undefined, budget: RateLimitBudget | undefined): TokenBucket | undefined {
    if (event === undefined || budget === undefined) return this.connectionBucket;
    let bucket = this.eventBuckets.get(event);
    if (!bucket) this.eventBuckets.set(event, (bucket = new TokenBucket(budget)));
    return bucket;
  }

  private settle(wait: number): number {
    this.refusedInARow = wait > 0 ? this.refusedInARow + 1 : 0;
    return wait;
  }
}
