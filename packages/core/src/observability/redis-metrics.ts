import { Inject, Injectable, Optional } from '@nestjs/common';
import type { GaugePoint, MetricAttributes } from './metric-instruments.js';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { RealtimeRedisConnection } from '../redis/realtime-redis-connection.js';
import { RealtimeTelemetry } from './realtime-telemetry.js';
import { ATTRIBUTE, METRIC } from './telemetry-names.js';

// Presence and the per-user rate limit use the adapter's client too: `adapter` is every
// connection the module has (a `presence` series would be for a presence store with its own).
const ADAPTER: MetricAttributes = { [ATTRIBUTE.redisConnection]: 'adapter' };

/**
 * The Redis metrics, with `redis` configured: whether the adapter's connections are up (read when
 * the SDK collects), and, as they happen, the connections restored after failing and every
 * command the adapter sent that Redis did not carry out. It lives here rather than next to the
 * Redis code, which the observability layer already depends on (through the connections), and
 * attaches at init to the state the adapter reports, since the adapter itself is made without Nest.
 */
@Injectable()
export class RealtimeRedisMetrics {
  constructor(
    @Inject(REALTIME_OPTIONS) options: ResolvedRealtimeOptions,
    connection: RealtimeRedisConnection,
    // Null unless observability is on and an OpenTelemetry SDK is registered.
    @Optional() @Inject(RealtimeTelemetry) telemetry?: RealtimeTelemetry | null,
  ) {
    if (!telemetry?.metered || !options.redis) return;
    const { state } = connection;
    telemetry.gauge(
      METRIC.redisUp,
      { description: 'Whether the Redis connections are ready for commands (1) or not (0).', unit: '1' },
      // No adapter: the boot degraded to one instance (`onUnavailable: 'degrade'`), Redis is down for it.
      (): GaugePoint[] => {
        const up = state ? state.up : false;
        return up === undefined ? [] : [[up ? 1 : 0, ADAPTER]];
      },
    );
    if (!state) return;
    const reconnects = telemetry.counter(METRIC.redisReconnects, { description: 'Redis connections restored after they failed.', unit: '{reconnect}' });
    const lost = telemetry.counter(METRIC.redisLostCommands, { description: 'Commands the Socket.IO adapter sent without waiting for their answer that Redis did not carry out.', unit: '{command}' });
    // At 0 from the start, so the first reconnect shows in a rate.
    reconnects?.add(0, ADAPTER);
    state.listen({
      reconnected: () => reconnects?.add(1, ADAPTER),
      commandLost: (command) => lost?.add(1, commandAttributes(command)),
    });
  }
}

// One attribute set per command: the adapters send a handful (`publish`, `ssubscribe`, `set`, `connect`…).
const byCommand = new Map<string, MetricAttributes>();

/** The command in one spelling (node-redis `sPublish` and ioredis `spublish` are one command). */
function commandAttributes(command: string): MetricAttributes {
  let attributes = byCommand.get(command);
  if (!attributes) {
    attributes = { ...ADAPTER, [ATTRIBUTE.redisCommand]: command.toLowerCase() };
    byCommand.set(command, attributes);
  }
  return attributes;
}
