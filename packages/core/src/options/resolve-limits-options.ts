import { defineOptionGroup } from '../config/option-group.js';
import { checkOneOf, checkPositiveInteger } from '../config/option-checks.js';
import { checkBudget } from './resolve-rate-limit-options.js';
import { RealtimeConfigError } from '../config/realtime-config.error.js';
import type { ConnectionLimitScope, OverConnectionLimit, RealtimeLimitsOptions, ResolvedLimitsOptions } from './limits-options.interface.js';

const OVER_CONNECTION_LIMIT: readonly OverConnectionLimit[] = ['refuse-new', 'close-oldest'];
const CONNECTION_LIMIT_SCOPES: readonly ConnectionLimitScope[] = ['instance', 'cluster'];

/** The `limits` options: default, check and doc line of each. */
export const limitsOptionGroup = defineOptionGroup<RealtimeLimitsOptions>()(
  {
    maxConnectionsPerUser: {
      check: (value, option) => checkPositiveInteger(option, value, 'connections'),
      doc: {
        type: '`number`',
        text: 'Connections one user may hold on this instance (across instances with `connectionLimitScope: \'cluster\'`): each namespace socket counts (a tab on `/chat` and `/notifications` holds two), and so does each native WebSocket.',
      },
    },
    overConnectionLimit: {
      default: 'refuse-new',
      check: (value, option) => checkOneOf(option, value, OVER_CONNECTION_LIMIT),
      doc: {
        type: "`'refuse-new'` \\| `'close-oldest'`",
        text: "Over the limit: refuse the new connection (`connect_error` `{ code: 'FORBIDDEN', reason: 'too_many_connections' }`, native: HTTP 403), or disconnect the oldest (after `realtime:disconnected { reason: 'too_many_connections' }`; native: close `4004`).",
      },
    },
    connectionLimitScope: {
      default: 'instance',
      check: (value, option) => checkOneOf(option, value, CONNECTION_LIMIT_SCOPES),
      doc: {
        type: "`'instance'` \\| `'cluster'`",
        text: "Where `maxConnectionsPerUser` counts: on this instance, or in Redis across every instance (needs `redis` and the Redis presence store, `refuse-new` only; per instance while Redis is unreachable). See [Limits across instances](./scaling#limits-across-instances).",
      },
    },
    maxRoomsPerSocket: {
      default: 100,
      check: (value, option) => checkPositiveInteger(option, value, 'rooms'),
      doc: {
        type: '`number`',
        text: "Rooms joined through `PresenceService.join()` / `RoomsGateway`; one more is `FORBIDDEN` with `details.reason: 'too_many_rooms'`.",
      },
    },
    handshakesPerIp: {
      check: (value, option) => checkBudget(option, value),
      doc: {
        type: '`{ points, durationMs }`',
        text: 'New connections per client address (token bucket; the address as `trustProxy` resolves it), refused before any token is verified (native: HTTP 429). Each Socket.IO namespace `CONNECT` after a connection\'s first counts as one more.',
      },
    },
    handshakeLimitScope: {
      default: 'instance',
      check: (value, option) => checkOneOf(option, value, CONNECTION_LIMIT_SCOPES),
      doc: {
        type: "`'instance'` \\| `'cluster'`",
        text: "Where `handshakesPerIp` counts: on this instance, or in Redis across every instance (needs `redis`; per instance while Redis is unreachable). See [Handshakes per IP](./scaling#handshakes-per-ip).",
      },
    },
    maxHandshakeAuthBytes: {
      default: 16 * 1024,
      check: (value, option) => checkPositiveInteger(option, value, 'bytes'),
      doc: {
        type: '`number`',
        text: "The largest auth object of a Socket.IO `CONNECT`, in bytes of its JSON (Socket.IO keeps it for the socket's lifetime); larger is refused before the token with `connect_error` `{ code: 'PAYLOAD_TOO_LARGE', reason: 'auth_too_large' }`.",
      },
    },
    maxPayloadDepth: {
      default: 32,
      check: (value, option) => checkPositiveInteger(option, value, 'levels'),
      doc: {
        type: '`number`',
        text: "How deeply objects and arrays may nest in a client's message (both transports), checked after the rate limit and before guards and pipes, and in a Socket.IO `CONNECT`'s auth object, before its token; deeper is `BAD_REQUEST` with `details { reason: 'too_deep', maxDepth }`.",
      },
    },
    maxPayloadNodes: {
      default: 10_000,
      check: (value, option) => checkPositiveInteger(option, value, 'values'),
      doc: {
        type: '`number`',
        text: "How many values (properties and items at any depth; a binary buffer is one) a client's message, or a Socket.IO `CONNECT`'s auth object, may hold; more is `PAYLOAD_TOO_LARGE` with `details { reason: 'too_many_nodes', maxNodes }`.",
      },
    },
  },
  { expected: 'an object' },
);

/**
 * Validates `limits`; `redis` and `presence` are the module's options given beside it, which the
 * limits counted across instances need: both count in Redis, and connections per user share the
 * presence heartbeat.
 */
export function resolveLimitsOptions(value: unknown, option: string, given: { redis?: unknown; presence?: unknown }): ResolvedLimitsOptions {
  const resolved = limitsOptionGroup.resolve(value, option);
  const withRedis = '"instance", or "cluster" together with the redis option';
  if (resolved.handshakeLimitScope === 'cluster' && given.redis === undefined) throw new RealtimeConfigError(`${option}.handshakeLimitScope`, 'cluster', withRedis);
  if (resolved.connectionLimitScope !== 'cluster') return resolved;
  const scope = `${option}.connectionLimitScope`;
  if (given.redis === undefined) throw new RealtimeConfigError(scope, 'cluster', withRedis);
  const presenceStore = (given.presence as { store?: unknown } | undefined)?.store;
  if (presenceStore === 'memory') throw new RealtimeConfigError(scope, 'cluster', '"instance", or "cluster" with the Redis presence store (presence.store "memory" has no heartbeat to share)');
  if (resolved.overConnectionLimit === 'close-oldest') {
    throw new RealtimeConfigError(scope, 'cluster', `"instance" with ${option}.overConnectionLimit "close-oldest" (cluster-wide, only "refuse-new" is supported)`);
  }
  return resolved;
}
