import { Server } from 'socket.io';
import { createRedisAdapter, type RealtimeRedisAdapter } from '../redis/create-redis-adapter.js';
import { resolveRedisOptions } from '../options/resolve-redis-options.js';
import { subscriberCounter, type SubscriberCounter } from '../redis/redis-client.js';
import type { RealtimeRedisOptions } from '../options/redis-options.interface.js';
import type { RealtimeObservabilityOptions } from '../options/observability-options.interface.js';
import { observabilityOptionGroup } from '../options/resolve-observability-options.js';
import { RealtimeTelemetry, sendTraced } from '../observability/realtime-telemetry.js';
import { emitToRoom } from './emit-to-room.js';
import type { RealtimeTarget } from './realtime.service.js';
import { NATIVE_WS_BRIDGE_NAMESPACE, NATIVE_WS_DELIVER_EVENT, type NativeWsDelivery } from '../connection/native-ws-clients.js';
import { namespaceName, userRoom } from '../protocol/index.js';

/** Options of `RealtimeEmitter.create()`. */
export interface RealtimeEmitterOptions {
  /** The same Redis settings (`url` or `client`, `adapter`, `keyPrefix`) as the socket servers use. */
  redis: RealtimeRedisOptions;
  /**
   * The namespaces events go to unless a call names one.
   * @default ['/']
   */
  namespaces?: string[];
  /**
   * Must match the servers' `userRoomPrefix`.
   * @default 'user:'
   */
  userRoomPrefix?: string;
  /**
   * As the module's `observability`: with an OpenTelemetry SDK registered before `create()` (and
   * `enabled` not `false`, `traces` not `false`), each send is a `realtime.send` span (a child of
   * the active one, e.g. the job's), and the instances' deliveries continue its trace.
   * @default { enabled: 'auto', traces: true }
   */
  observability?: RealtimeObservabilityOptions;
}

/**
 * `toUser` / `toRoom` for processes with no socket server (a worker, a cron job), over Redis:
 * the events reach the clients of every instance of the app.
 *
 * ```ts
 * const emitter = await RealtimeEmitter.create({ redis: { url: process.env.REDIS_URL }, namespaces: ['/notifications'] });
 * emitter.toUser('ada').emit('notification', { text: 'Your export is ready' });
 * await emitter.close();
 * ```
 */
export class RealtimeEmitter {
  private constructor(
    // A Socket.IO server with no HTTP server and no clients: it only publishes through the adapter,
    // so every adapter mode works the same way as on the socket servers.
    private readonly io: Server,
    private readonly redis: RealtimeRedisAdapter,
    private readonly namespaces: string[],
    private readonly userRoomPrefix: string,
    private readonly telemetry: RealtimeTelemetry | null,
  ) {}

  /**
   * Connects to Redis and, in `streams` mode, waits until the adapters listen (each within
   * `redis.connectTimeoutMs`). When it throws, every
   * connection it opened is closed first: a worker that catches the error is not kept alive by them.
   */
  static async create(options: RealtimeEmitterOptions): Promise<RealtimeEmitter> {
    // Options are read before connecting: a mistake in them opens nothing.
    const namespaces = namespacesOf(options.namespaces);
    const { connectTimeoutMs } = resolveRedisOptions(options.redis);
    const telemetry = await RealtimeTelemetry.create(observabilityOptionGroup.resolve(options.observability ?? {}, 'observability'));
    const redis = await createRedisAdapter(options.redis);
    let io: Server | undefined;
    try {
      io = new Server({ adapter: redis.adapter, serveClient: false });
      if (redis.mode === 'streams') {
        const server = io;
        // One counter for every wait: on a cluster it may hold connections to nodes beyond the client's.
        const counter = await subscriberCounter(redis.client);
        try {
          await Promise.all([...namespaces, NATIVE_WS_BRIDGE_NAMESPACE].map((name) => subscribed(server, redis, counter, name, connectTimeoutMs)));
        } finally {
          counter.close();
        }
      }
      return new RealtimeEmitter(io, redis, namespaces, options.userRoomPrefix ?? 'user:', telemetry);
    } catch (error) {
      await closeParts(io, redis).catch(() => undefined); // the error that stopped create() is the one to report
      throw error;
    }
  }

  /** Every socket of the user, on every instance; without a namespace, native WebSocket clients too. */
  toUser(userId: string | number, scope: { namespace?: string } = {}): RealtimeTarget {
    const room = userRoom(this.userRoomPrefix, userId);
    return {
      emit: (event, ...args) =>
        sendTraced(this.telemetry, { namespace: scope.namespace, event, to: 'user' }, (traceparent) => {
          this.emitToRoom(room, scope, event, args, traceparent);
          if (scope.namespace !== undefined) return;
          const delivery: NativeWsDelivery = { userId: String(userId), event, args, ...(traceparent ? { traceparent } : {}) };
          this.io.of(NATIVE_WS_BRIDGE_NAMESPACE).serverSideEmit(NATIVE_WS_DELIVER_EVENT, delivery);
        }),
    };
  }

  /** Every socket in the room, on every instance. */
  toRoom(room: string, scope: { namespace?: string } = {}): RealtimeTarget {
    return {
      emit: (event, ...args) =>
        sendTraced(this.telemetry, { namespace: scope.namespace, event, to: 'room' }, (traceparent) => this.emitToRoom(room, scope, event, args, traceparent)),
    };
  }

  private emitToRoom(room: string, scope: { namespace?: string }, event: string, args: unknown[], traceparent: string | undefined): void {
    const namespaces = scope.namespace === undefined ? this.namespaces : [scope.namespace];
    for (const name of namespaces) emitToRoom(this.io.of(name), room, event, args, traceparent);
  }

  /** Stops publishing and quits the Redis clients the emitter created. */
  async close(): Promise<void> {
    await closeParts(this.io, this.redis);
  }
}

/** `namespaces` as Socket.IO names them; throws on a value that is not a list of names. */
function namespacesOf(namespaces: string[] | undefined = ['/']): string[] {
  if (!Array.isArray(namespaces) || namespaces.some((name) => typeof name !== 'string')) {
    throw new TypeError("RealtimeEmitter.create(): namespaces must be an array of namespace names, e.g. ['/notifications'].");
  }
  return namespaces.map(namespaceName);
}

/** Closes the adapters of the emitter's server (if it got one), then the Redis connections behind them. */
async function closeParts(io: Server | undefined, redis: RealtimeRedisAdapter): Promise<void> {
  try {
    // Server#close() expects an engine, which a server without HTTP has not: close the adapters.
    if (io) await Promise.all([...io._nsps.values()].map((namespace) => namespace.adapter.close()));
  } finally {
    await redis.close();
  }
}

/**
 * Resolves once the streams adapter of `name` has subscribed to its private channel. It subscribes
 * in the background and does not handle the subscription being cut short, so closing an emitter
 * before then would leave an unhandled rejection behind (and end a worker that emits and quits).
 */
async function subscribed(io: Server, redis: RealtimeRedisAdapter, counter: SubscriberCounter, name: string, timeoutMs: number): Promise<void> {
  const { uid } = io.of(name).adapter as unknown as { uid: string };
  const channel = `${redis.keyPrefix}#${name}#${uid}#`;
  const deadline = Date.now() + timeoutMs;
  while ((await counter.count(channel)) === 0) {
    if (Date.now() > deadline) throw new Error(`Redis at ${redis.label}: the streams adapter did not subscribe within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
