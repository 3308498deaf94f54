import { Logger, type Provider } from '@nestjs/common';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { RealtimeRedisConnection } from '../redis/realtime-redis-connection.js';
import { MemoryPresenceStore } from './memory-presence.store.js';
import { PresenceStore } from './presence.store.js';
import { systemPresenceClock } from './presence-clock.js';
import { bigRoomBandOf } from './presence-mode.js';
import { PRESENCE_STOP_TIMEOUT_MS, RedisPresenceStore } from './redis-presence.store.js';

/** The store `PresenceService` uses: Redis when Redis is configured (and reachable), else memory. */
export const presenceStoreProvider: Provider = {
  provide: PresenceStore,
  inject: [REALTIME_OPTIONS, RealtimeRedisConnection],
  useFactory: ({ presence, redis: redisOptions }: ResolvedRealtimeOptions, { redis }: RealtimeRedisConnection) => {
    const wantsRedis = presence.store === 'redis' || (presence.store === undefined && redisOptions !== undefined);
    const band = bigRoomBandOf(presence);
    if (!wantsRedis) return new MemoryPresenceStore(band);
    if (!redis) {
      new Logger('RealtimePresence').error('Redis is unavailable: presence is kept in memory, for this instance only.');
      return new MemoryPresenceStore(band);
    }
    return new RedisPresenceStore(redis.client, `${redis.keyPrefix}:presence`, presence.ttlMs, systemPresenceClock, PRESENCE_STOP_TIMEOUT_MS, band);
  },
};
