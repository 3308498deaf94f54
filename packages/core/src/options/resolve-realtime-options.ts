import type { RealtimeModuleOptions, ResolvedRealtimeOptions } from './realtime-module-options.interface.js';
import { defineOptionGroup, type OptionSpecs } from '../config/option-group.js';
import { checkBoolean, checkNonEmptyString } from '../config/option-checks.js';
import { socketIoOptionSpecs } from './socket-io-options.js';
import { authOptionGroup } from './resolve-auth-options.js';
import type { ResolvedAuthOptions } from './auth-options.interface.js';
import { resolveRedisOptions } from './resolve-redis-options.js';
import type { ResolvedRedisOptions } from './redis-options.interface.js';
import { resolvePresenceOptions } from './resolve-presence-options.js';
import type { ResolvedPresenceOptions } from './presence-options.interface.js';
import { rateLimitOptionGroup } from './resolve-rate-limit-options.js';
import type { ResolvedRateLimitOptions } from './rate-limit-options.interface.js';
import { drainOptionGroup } from './resolve-drain-options.js';
import type { ResolvedDrainOptions } from './drain-options.interface.js';
import { observabilityOptionGroup } from './resolve-observability-options.js';
import type { ResolvedObservabilityOptions } from './observability-options.interface.js';
import { resolveLimitsOptions } from './resolve-limits-options.js';
import type { ResolvedLimitsOptions } from './limits-options.interface.js';
import { resolveTrustProxy, type TrustedHop } from '../proxy/trust-proxy.js';

/** The module options that are not Socket.IO server options: default, check and doc line of each. */
export const featureOptionSpecs = {
  applyErrorContract: {
    default: true,
    check: (value, option) => checkBoolean(option, value),
    doc: { type: '`boolean`', text: 'Give every gateway the [error contract](./errors).' },
  },
  auth: {
    check: (value, option): ResolvedAuthOptions => authOptionGroup.resolve(value, option),
    doc: { type: 'object', text: 'JWT authentication at the handshake (table below; guide: [Authentication](./authentication)).' },
  },
  redis: {
    check: (value): ResolvedRedisOptions => resolveRedisOptions(value),
    doc: { type: 'object', text: 'Redis as the engine for several instances (table below; guide: [Scaling with Redis](./scaling)).' },
  },
  presence: {
    default: {},
    check: (value, _option, given): ResolvedPresenceOptions => resolvePresenceOptions(value, given.redis !== undefined),
    doc: {
      type: 'object',
      default: 'memory, or Redis with `redis`',
      text: "Where `PresenceService` keeps rooms' members (table below; guide: [Rooms & presence](./presence)).",
    },
  },
  rateLimit: {
    check: (value, option): ResolvedRateLimitOptions => rateLimitOptionGroup.resolve(value, option),
    doc: { type: 'object', text: 'Per-message rate limiting (table below; guide: [Operating in production](./production)).' },
  },
  drain: {
    default: {},
    check: (value, option): ResolvedDrainOptions => drainOptionGroup.resolve(value, option),
    doc: {
      type: 'object',
      default: 'see below',
      text: 'Graceful drain on `app.close()` / SIGTERM (table below; guide: [Operating in production](./production#graceful-drain)).',
    },
  },
  limits: {
    default: {},
    // `null` has always meant "no limits given" here, as a config loader may produce it.
    check: (value, option, given): ResolvedLimitsOptions => resolveLimitsOptions(value ?? {}, option, given),
    doc: {
      type: 'object',
      default: 'see below',
      text: 'Connections per user, rooms per socket, handshakes per IP, payload depth and size (table below; guide: [Operating in production](./production#limits)).',
    },
  },
  observability: {
    default: {},
    check: (value, option): ResolvedObservabilityOptions => observabilityOptionGroup.resolve(value, option),
    doc: {
      type: 'object',
      default: 'see below',
      text: 'OpenTelemetry metrics and traces, on when an SDK is registered at boot (table below; guide: [Observability](./observability)).',
    },
  },
  trustProxy: {
    default: false,
    check: (value): TrustedHop => resolveTrustProxy(value),
    doc: {
      type: '`boolean` \\| `number` \\| `string` \\| `string[]` \\| `(address, hopIndex) => boolean`',
      text: "Which proxies may tell the client's IP through `X-Forwarded-For`, as Express's `trust proxy`: `1` behind one load balancer, addresses or CIDR ranges (also `'loopback'`, `'linklocal'`, `'uniquelocal'`), `true` for every hop. The IP is what `limits.handshakesPerIp` counts and `handshake.address` holds ([Security](./security#client-addresses-behind-a-proxy)).",
    },
  },
  userRoomPrefix: {
    default: 'user:',
    check: (value, option) => checkNonEmptyString(option, value),
    doc: { type: '`string`', text: 'Every authenticated socket joins `<prefix><user id>`; `RealtimeService.toUser()` uses it.' },
  },
} satisfies Partial<OptionSpecs<RealtimeModuleOptions>>;

/** Every option of `RealtimeModule.forRoot()`: the Socket.IO server options, then the features. */
export const realtimeOptionGroup = defineOptionGroup<RealtimeModuleOptions>()({ ...socketIoOptionSpecs, ...featureOptionSpecs }, { expected: 'an object' });

/**
 * Validates the user's options and applies every default, once, at boot.
 * @throws {RealtimeConfigError} naming the first invalid option.
 */
export function resolveRealtimeOptions(options: RealtimeModuleOptions | undefined): ResolvedRealtimeOptions {
  return realtimeOptionGroup.resolve(options ?? {}, '');
}
