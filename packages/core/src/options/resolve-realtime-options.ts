import type { RealtimeConnectionStateRecovery, RealtimeCorsOptions, RealtimeModuleOptions, RealtimeParser, RealtimeTransport, ResolvedRealtimeOptions } from './realtime-module-options.interface.js';
import { RealtimeConfigError } from './realtime-config.error.js';
import { checkBoolean, checkDurationMs, checkKnownKeys, checkNonEmptyString, checkOneOf, checkPositiveInteger, checkUniqueList, isPlainObject } from './option-checks.js';
import { resolveAuthOptions } from '../auth/resolve-auth-options.js';
import { resolveRedisOptions } from '../redis/resolve-redis-options.js';
import { resolvePresenceOptions } from '../presence/resolve-presence-options.js';
import { resolveRateLimitOptions } from '../rate-limit/resolve-rate-limit-options.js';
import { resolveDrainOptions } from '../drain/resolve-drain-options.js';
import { resolveLimitsOptions } from '../limits/resolve-limits-options.js';
import { resolveTrustProxy } from '../proxy/trust-proxy.js';

const TRANSPORTS: readonly RealtimeTransport[] = ['polling', 'websocket', 'webtransport'];
const PARSERS: readonly RealtimeParser[] = ['default', 'msgpack'];

/** Socket.IO's own default for `connectionStateRecovery.maxDisconnectionDuration`. */
const DEFAULT_MAX_DISCONNECTION_DURATION_MS = 2 * 60 * 1000;

export const KNOWN_OPTIONS: readonly (keyof RealtimeModuleOptions)[] = [
  'cors',
  'allowRequestsWithoutOrigin',
  'path',
  'transports',
  'maxHttpBufferSize',
  'pingInterval',
  'pingTimeout',
  'connectTimeout',
  'connectionStateRecovery',
  'parser',
  'serveClient',
  'applyErrorContract',
  'auth',
  'redis',
  'presence',
  'rateLimit',
  'drain',
  'limits',
  'trustProxy',
  'userRoomPrefix',
];

/**
 * Validates the user's options and applies every default, once, at boot.
 * @throws {RealtimeConfigError} naming the first invalid option.
 */
export function resolveRealtimeOptions(options: RealtimeModuleOptions | undefined): ResolvedRealtimeOptions {
  const given: unknown = options ?? {};
  if (!isPlainObject(given)) throw new RealtimeConfigError('(options)', given, 'an object');
  checkKnownKeys('', given, KNOWN_OPTIONS);
  const o = given as RealtimeModuleOptions;
  const redis = o.redis === undefined ? undefined : resolveRedisOptions(o.redis);
  return {
    cors: o.cors === undefined ? undefined : checkCors(o.cors),
    allowRequestsWithoutOrigin:
      o.allowRequestsWithoutOrigin === undefined
        ? true
        : checkBoolean('allowRequestsWithoutOrigin', o.allowRequestsWithoutOrigin),
    path: o.path === undefined ? '/socket.io' : checkPath(o.path),
    transports: o.transports === undefined ? ['polling', 'websocket'] : checkTransports(o.transports),
    maxHttpBufferSize:
      o.maxHttpBufferSize === undefined ? 1_000_000 : checkPositiveInteger('maxHttpBufferSize', o.maxHttpBufferSize, 'bytes'),
    pingInterval: o.pingInterval === undefined ? 25_000 : checkDurationMs('pingInterval', o.pingInterval),
    pingTimeout: o.pingTimeout === undefined ? 20_000 : checkDurationMs('pingTimeout', o.pingTimeout),
    connectTimeout: o.connectTimeout === undefined ? 45_000 : checkDurationMs('connectTimeout', o.connectTimeout),
    connectionStateRecovery:
      // Recovery across instances is what the streams adapter is chosen for.
      o.connectionStateRecovery === undefined ? checkRecovery(redis?.adapter === 'streams') : checkRecovery(o.connectionStateRecovery),
    parser: o.parser === undefined ? 'default' : checkOneOf('parser', o.parser, PARSERS),
    serveClient: o.serveClient === undefined ? false : checkBoolean('serveClient', o.serveClient),
    applyErrorContract:
      o.applyErrorContract === undefined ? true : checkBoolean('applyErrorContract', o.applyErrorContract),
    auth: o.auth === undefined ? undefined : resolveAuthOptions(o.auth),
    redis,
    presence: resolvePresenceOptions(o.presence, redis !== undefined),
    rateLimit: o.rateLimit === undefined ? undefined : resolveRateLimitOptions(o.rateLimit),
    drain: resolveDrainOptions(o.drain),
    limits: resolveLimitsOptions(o.limits),
    trustProxy: resolveTrustProxy(o.trustProxy),
    userRoomPrefix: o.userRoomPrefix === undefined ? 'user:' : checkNonEmptyString('userRoomPrefix', o.userRoomPrefix),
  };
}

function checkPath(value: unknown): string {
  if (typeof value !== 'string' || !/^\/[^\s?#]+$/.test(value)) {
    throw new RealtimeConfigError('path', value, 'a URL path starting with "/", without spaces, "?" or "#", e.g. "/socket.io"');
  }
  return value;
}

function checkTransports(value: unknown): RealtimeTransport[] {
  return checkUniqueList(
    'transports',
    value,
    (transport, option) => checkOneOf(option, transport, TRANSPORTS),
    `a non-empty array of ${TRANSPORTS.join(', ')}`,
  );
}

function checkCors(value: unknown): RealtimeCorsOptions {
  if (typeof value === 'function') return value as RealtimeCorsOptions;
  if (!isPlainObject(value)) {
    throw new RealtimeConfigError('cors', value, 'an object of CORS options (e.g. { origin: ["https://app.example.com"] }) or a delegate function');
  }
  if (value.origin !== undefined) checkCorsOrigin(value.origin);
  return value as RealtimeCorsOptions;
}

function checkCorsOrigin(origin: unknown): void {
  const isStatic = (v: unknown) => typeof v === 'string' || typeof v === 'boolean' || v instanceof RegExp;
  if (isStatic(origin) || typeof origin === 'function') return;
  if (Array.isArray(origin) && origin.every(isStatic)) return;
  throw new RealtimeConfigError('cors.origin', origin, 'a string, RegExp, boolean, an array of strings and RegExps, or a function');
}

function checkRecovery(value: unknown): Required<RealtimeConnectionStateRecovery> | false {
  if (value === false) return false;
  if (value === true) return { maxDisconnectionDuration: DEFAULT_MAX_DISCONNECTION_DURATION_MS, skipMiddlewares: false };
  if (!isPlainObject(value)) {
    throw new RealtimeConfigError('connectionStateRecovery', value, 'true, false or { maxDisconnectionDuration?, skipMiddlewares? }');
  }
  checkKnownKeys('connectionStateRecovery', value, ['maxDisconnectionDuration', 'skipMiddlewares']);
  return {
    maxDisconnectionDuration:
      value.maxDisconnectionDuration === undefined
        ? DEFAULT_MAX_DISCONNECTION_DURATION_MS
        : checkDurationMs('connectionStateRecovery.maxDisconnectionDuration', value.maxDisconnectionDuration),
    skipMiddlewares:
      value.skipMiddlewares === undefined
        ? false
        : checkBoolean('connectionStateRecovery.skipMiddlewares', value.skipMiddlewares),
  };
}
