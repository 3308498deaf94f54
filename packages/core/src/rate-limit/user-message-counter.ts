import { evalScript, isClientReady, type AnyRedisClient } from '../redis/redis-client.js';
import { RedisOutageLog } from '../redis/redis-outage-log.js';
import type { RateLimitBudget } from '../options/rate-limit-options.interface.js';

/** Counts a user's messages in fixed windows: 0 when allowed, else the wait until the window ends. */
export interface UserMessageCounter {
  take(userId: string): number | Promise<number>;
  close(): void;
}

/** One instance: counts in memory; expired windows are swept once per window. */
export class MemoryUserMessageCounter implements UserMessageCounter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly budget: RateLimitBudget) {
    this.sweeper = setInterval(() => this.sweep(), budget.durationMs).unref();
  }

  take(userId: string, now = Date.now()): number {
    let window = this.windows.get(userId);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + this.budget.durationMs };
      this.windows.set(userId, window);
    }
    window.count += 1;
    return window.count <= this.budget.points ? 0 : window.endsAt - now;
  }

  close(): void {
    clearInterval(this.sweeper);
    this.windows.clear();
  }

  private sweep(now = Date.now()): void {
    for (const [userId, window] of this.windows) if (window.endsAt <= now) this.windows.delete(userId);
  }
}

// INCR then, for a new window, its expiry; answers the count and the window's remaining time.
const TAKE_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }`;

/**
 * Every instance: one counter key per user and window in Redis. While Redis is unreachable,
 * messages are allowed (the per-connection budget still applies) and the outage is logged once.
 */
export class RedisUserMessageCounter implements UserMessageCounter {
  private readonly outage = RedisOutageLog.forContext('RealtimeRateLimit', {
    whileDown: 'messages per user are not limited (the per-connection budget still applies) until it is back.',
    back: 'messages per user are limited across instances again.',
  });

  constructor(
    private readonly client: AnyRedisClient,
    private readonly keyPrefix: string,
    private readonly budget: RateLimitBudget,
  ) {}

  async take(userId: string): Promise<number> {
    try {
      // A disconnected client would queue the command, holding the message until Redis is back.
      if (!isClientReady(this.client)) throw new Error('not connected');
      const [count, ttl] = (await evalScript(this.client, TAKE_SCRIPT, [`${this.keyPrefix}:rate:${userId}`], [String(this.budget.durationMs)])) as [number, number];
      this.outage.answered();
      return Number(count) <= this.budget.points ? 0 : Math.max(1, Number(ttl));
    } catch (error) {
      this.outage.failed(error);
      return 0;
    }
  }

  close(): void {}
}
