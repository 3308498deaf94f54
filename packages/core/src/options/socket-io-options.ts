import type {
  RealtimeConnectionStateRecovery,
  RealtimeCorsOptions,
  RealtimeModuleOptions,
  RealtimeParser,
  RealtimeTransport,
} from './realtime-module-options.interface.js';
import { RealtimeConfigError } from '../config/realtime-config.error.js';
import { defineOptionGroup, type OptionSpecs } from '../config/option-group.js';
import { checkBoolean, checkDurationMs, checkOneOf, checkPositiveInteger, checkUniqueList, isPlainObject } from '../config/option-checks.js';

const TRANSPORTS: readonly RealtimeTransport[] = ['polling', 'websocket', 'webtransport'];
const PARSERS: readonly RealtimeParser[] = ['default', 'msgpack'];

/** The `connectionStateRecovery` object form: default, check and doc line of each. */
export const recoveryOptionGroup = defineOptionGroup<RealtimeConnectionStateRecovery>()(
  {
    maxDisconnectionDuration: {
      // Socket.IO's own default.
      default: 120_000,
      check: (value, option) => checkDurationMs(option, value),
      doc: { type: '`number` (ms)', text: "How long a disconnected client's session (rooms, missed packets) is kept for it." },
    },
    skipMiddlewares: {
      default: false,
      check: (value, option) => checkBoolean(option, value),
      doc: { type: '`boolean`', text: 'Skip the namespace middlewares, handshake auth included, when a session is recovered.' },
    },
  },
  { expected: 'true, false or { maxDisconnectionDuration?, skipMiddlewares? }' },
);

/** The module options that configure each Socket.IO server: default, check and doc line of each. */
export const socketIoOptionSpecs = {
  cors: {
    check: (value) => checkCors(value),
    doc: {
      type: '`CorsOptions` \\| delegate',
      text: 'CORS for long-polling, as in Socket.IO. An `origin` allowlist is also enforced on every Engine.IO request (handshakes, requests of an open session, WebSocket upgrades); JSONP polling is never served. See [the origin allowlist](#the-origin-allowlist) and [Security](./security#origin-checks-on-every-request).',
    },
  },
  allowRequestsWithoutOrigin: {
    default: true,
    check: (value, option) => checkBoolean(option, value),
    doc: {
      type: '`boolean`',
      text: "With an allowlist: accept requests that send no `Origin` header (servers, mobile apps, CLIs). Only requests without fetch metadata, or with `Sec-Fetch-Site: same-origin`, count as such; other browser requests without `Origin` are refused ([Security](./security#origin-checks-on-every-request)).",
    },
  },
  path: {
    default: '/socket.io',
    check: (value) => checkPath(value),
    doc: { type: '`string`', text: 'The HTTP path Socket.IO is served under. Clients use the same `path`.' },
  },
  transports: {
    default: ['polling', 'websocket'],
    check: (value, option) =>
      checkUniqueList(option, value, (transport, entry) => checkOneOf(entry, transport, TRANSPORTS), `a non-empty array of ${TRANSPORTS.join(', ')}`),
    doc: {
      type: "`('polling' \\| 'websocket' \\| 'webtransport')[]`",
      text: 'Enabled transports. `[\'websocket\']` needs no sticky sessions.',
    },
  },
  maxHttpBufferSize: {
    default: 1_000_000,
    check: (value, option) => checkPositiveInteger(option, value, 'bytes'),
    doc: { type: '`number` (bytes)', text: 'Largest message a client may send; a larger one closes that connection.' },
  },
  pingInterval: {
    default: 25_000,
    check: (value, option) => checkDurationMs(option, value),
    doc: { type: '`number` (ms)', text: 'How often the server pings each client, Socket.IO and native WebSocket alike.' },
  },
  pingTimeout: {
    default: 20_000,
    check: (value, option) => checkDurationMs(option, value),
    doc: { type: '`number` (ms)', text: 'How long the server waits for a pong before it closes the connection.' },
  },
  connectTimeout: {
    default: 45_000,
    check: (value, option) => checkDurationMs(option, value),
    doc: { type: '`number` (ms)', text: 'How long a client may take to join a namespace.' },
  },
  connectionStateRecovery: {
    // Recovery across instances is what the streams adapter is chosen for.
    defaultFrom: (given) => isPlainObject(given.redis) && given.redis.adapter === 'streams',
    check: (value, option) => (value === false ? false : recoveryOptionGroup.resolve(value === true ? {} : value, option)),
    doc: {
      type: '`boolean` \\| `{ maxDisconnectionDuration?, skipMiddlewares? }`',
      default: "`false`, or `true` with `redis.adapter: 'streams'`",
      text: 'Socket.IO connection-state recovery: a client that reconnects in time gets its rooms and missed packets back. `true` turns it on with the defaults of the table below.',
    },
  },
  parser: {
    default: 'default',
    check: (value, option) => checkOneOf(option, value, PARSERS),
    doc: {
      type: "`'default' \\| 'msgpack'`",
      text: "Packet encoding. `'msgpack'` uses `socket.io-msgpack-parser` (install it beside this package): smaller frames for binary-heavy payloads. Every client must use the same parser: `io(url, { parser })` with `import parser from 'socket.io-msgpack-parser'`; the test kit's `connect()` picks it up from the app.",
    },
  },
  serveClient: {
    default: false,
    check: (value, option) => checkBoolean(option, value),
    doc: { type: '`boolean`', text: "Serve the browser bundle at `<path>/socket.io.js`. Socket.IO's own default is `true`." },
  },
} satisfies Partial<OptionSpecs<RealtimeModuleOptions>>;

function checkPath(value: unknown): string {
  if (typeof value !== 'string' || !/^\/[^\s?#]+$/.test(value)) {
    throw new RealtimeConfigError('path', value, 'a URL path starting with "/", without spaces, "?" or "#", e.g. "/socket.io"');
  }
  return value;
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
