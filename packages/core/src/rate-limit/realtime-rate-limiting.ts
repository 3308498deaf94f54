import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { RealtimeRedisConnection } from '../redis/realtime-redis-connection.js';
import { collectEventRateLimits } from './event-rate-limits.js';
import { RateLimiter, type ConnectionRateLimit } from './rate-limiter.js';
import { MemoryUserMessageCounter, RedisUserMessageCounter, type UserMessageCounter } from './user-message-counter.js';

/** The app's rate limits, shared by both transports' adapters. */
@Injectable()
export class RealtimeRateLimiting implements OnApplicationShutdown {
  private limiter?: RateLimiter;

  constructor(
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
    private readonly modules: ModulesContainer,
    private readonly redis: RealtimeRedisConnection,
  ) {}

  /** A new connection's limiter, or undefined when nothing is limited. */
  forConnection(scope: string): ConnectionRateLimit | undefined {
    // Built at the first connection: every gateway (and its @RateLimit() handlers) exists by then.
    this.limiter ??= new RateLimiter(this.options.rateLimit, collectEventRateLimits(this.modules), this.userCounter());
    return this.limiter.enabled ? this.limiter.forConnection(scope) : undefined;
  }

  onApplicationShutdown(): void {
    this.limiter?.close();
  }

  private userCounter(): UserMessageCounter | undefined {
    const perUser = this.options.rateLimit?.perUser;
    if (!perUser) return undefined;
    const redis = this.redis.redis;
    return redis ? new RedisUserMessageCounter(redis.client, redis.keyPrefix, perUser) : new MemoryUserMessageCounter(perUser);
  }
}
