import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ResolvedRedisOptions } from '../options/redis-options.interface.js';
import { openRedisAdapter, type RealtimeRedisAdapter } from './create-redis-adapter.js';
import { RedisAdapterState } from './redis-adapter-state.js';

/**
 * The module's Redis adapter, connected at boot (so an unreachable Redis fails the boot, or
 * degrades it, before the first client) and closed at shutdown, after the Socket.IO servers.
 */
export class RealtimeRedisConnection implements OnApplicationShutdown {
  private constructor(
    readonly redis: RealtimeRedisAdapter | undefined,
    /** The state of the adapter's connections, for the metrics to listen to; `undefined` without an adapter. */
    readonly state?: RedisAdapterState,
  ) {}

  static async open(options: ResolvedRedisOptions | undefined): Promise<RealtimeRedisConnection> {
    if (!options) return new RealtimeRedisConnection(undefined);
    try {
      const state = new RedisAdapterState();
      return new RealtimeRedisConnection(await openRedisAdapter(options, state), state);
    } catch (error) {
      if (options.onUnavailable === 'fail') throw error;
      new Logger('RealtimeRedis').error(
        `${(error as Error).message}. Starting SINGLE-INSTANCE (redis.onUnavailable: 'degrade'): ` +
          'events will not reach clients of other instances until this one restarts with Redis up.',
      );
      return new RealtimeRedisConnection(undefined);
    }
  }

  // Nest runs shutdown hooks after it has closed the gateways' servers: Redis goes last.
  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}
