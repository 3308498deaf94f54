import { RealtimeConfigError } from '../options/realtime-config.error.js';
import { checkKnownKeys, checkOneOf, checkPositiveInteger, isPlainObject } from '../options/option-checks.js';
import { checkBudget } from '../rate-limit/resolve-rate-limit-options.js';
import type { RealtimeLimitsOptions, ResolvedLimitsOptions } from './limits-options.interface.js';

export const KNOWN_LIMITS_OPTIONS: readonly (keyof RealtimeLimitsOptions)[] = [
  'maxConnectionsPerUser',
  'overConnectionLimit',
  'maxRoomsPerSocket',
  'handshakesPerIp',
  'maxPayloadDepth',
  'maxPayloadNodes',
];

/** Validates `limits` options. */
export function resolveLimitsOptions(value: unknown): ResolvedLimitsOptions {
  const given: unknown = value ?? {};
  if (!isPlainObject(given)) throw new RealtimeConfigError('limits', given, 'an object');
  checkKnownKeys('limits', given, KNOWN_LIMITS_OPTIONS);
  const o = given as RealtimeLimitsOptions;
  return {
    maxConnectionsPerUser:
      o.maxConnectionsPerUser === undefined ? undefined : checkPositiveInteger('limits.maxConnectionsPerUser', o.maxConnectionsPerUser, 'connections'),
    overConnectionLimit:
      o.overConnectionLimit === undefined ? 'refuse-new' : checkOneOf('limits.overConnectionLimit', o.overConnectionLimit, ['refuse-new', 'close-oldest'] as const),
    maxRoomsPerSocket: o.maxRoomsPerSocket === undefined ? 100 : checkPositiveInteger('limits.maxRoomsPerSocket', o.maxRoomsPerSocket, 'rooms'),
    handshakesPerIp: o.handshakesPerIp === undefined ? undefined : checkBudget('limits.handshakesPerIp', o.handshakesPerIp),
    maxPayloadDepth: o.maxPayloadDepth === undefined ? 32 : checkPositiveInteger('limits.maxPayloadDepth', o.maxPayloadDepth, 'levels'),
    maxPayloadNodes: o.maxPayloadNodes === undefined ? 10_000 : checkPositiveInteger('limits.maxPayloadNodes', o.maxPayloadNodes, 'values'),
  };
}
