import { defineOptionGroup } from '../config/option-group.js';
import { checkOneOf, checkPositiveInteger } from '../config/option-checks.js';
import { checkBudget } from './resolve-rate-limit-options.js';
import type { OverConnectionLimit, RealtimeLimitsOptions } from './limits-options.interface.js';

const OVER_CONNECTION_LIMIT: readonly OverConnectionLimit[] = ['refuse-new', 'close-oldest'];

/** The `limits` options: default, check and doc line of each. */
export const limitsOptionGroup = defineOptionGroup<RealtimeLimitsOptions>()(
  {
    maxConnectionsPerUser: {
      check: (value, option) => checkPositiveInteger(option, value, 'connections'),
      doc: {
        type: '`number`',
        text: 'Connections one user may hold on this instance: each namespace socket counts (a tab on `/chat` and `/notifications` holds two), and so does each native WebSocket.',
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
        text: 'New connections per client address (token bucket; the address as `trustProxy` resolves it), refused before any token is verified (native: HTTP 429).',
      },
    },
    maxPayloadDepth: {
      default: 32,
      check: (value, option) => checkPositiveInteger(option, value, 'levels'),
      doc: {
        type: '`number`',
        text: "How deeply objects and arrays may nest in a client's message (both transports), checked after the rate limit and before guards and pipes; deeper is `BAD_REQUEST` with `details { reason: 'too_deep', maxDepth }`.",
      },
    },
    maxPayloadNodes: {
      default: 10_000,
      check: (value, option) => checkPositiveInteger(option, value, 'values'),
      doc: {
        type: '`number`',
        text: "How many values (properties and items at any depth; a binary buffer is one) a client's message may hold; more is `PAYLOAD_TOO_LARGE` with `details { reason: 'too_many_nodes', maxNodes }`.",
      },
    },
  },
  { expected: 'an object' },
);
