import { GATEWAY_OPTIONS } from '@nestjs/websockets/constants.js';
import { messageHandlers } from '../gateways/message-handlers.js';
import { namespaceName, REALTIME_ERROR_CODES } from '../protocol/index.js';
import { FuzzRng } from './fuzz-rng.js';

export { FuzzRng };

// Fuzzing helpers: a small seeded generator of hostile inputs, the handlers to aim them at, and
// checks of what comes back. Same seed, same inputs: a failure prints its seed, and
// `FUZZ_SEED=<seed>` replays it.

/** The seed of this run: `FUZZ_SEED` when set, else a fresh one (printed by the test). */
export function fuzzSeed(): number {
  const fromEnv = process.env.FUZZ_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got "${fromEnv}"`);
    return seed >>> 0;
  }
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}

/** `FUZZ_SCALE` multiplies the number of inputs (default 1), e.g. for a long local run. */
export function fuzzScale(): number {
  const scale = Number(process.env.FUZZ_SCALE ?? 1);
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}


/** Strings that tend to break things: empty, control characters, lone surrogates, RTL marks, emoji, format strings. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u0000\u0001\u0002\u001f',
  '\n\r\t',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  '\u202e\u202d',
  '\ufeff',
  'Ω≈ç√∫',
  '田中さんにあげて下さい',
  '%s%s%n%x',
  '${7*7}',
  '{{constructor.constructor("return 1")()}}',
  '<script>alert(1)</script>',
  "'; DROP TABLE users; --",
  '../../../../etc/passwd',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'connect',
  'disconnect',
  'error',
  'exception',
  'auth:refresh',
  'user:',
  'user:ada',
  'general',
  'vip-lounge',
  'private-fuzzer',
  'AAAAAAAAAAAAAAAAAAAA', // the shape of a socket id
  'a'.repeat(64),
  'a'.repeat(65),
];

/** Keys an attacker puts in objects: prototype pollution, fields handlers read, and random ones. */
const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'then',
  'toJSON',
  'room',
  'meta',
  'message',
  'text',
  'token',
  'event',
  'data',
  'status',
  'id',
  'connectionId',
  'joinedAt',
  '_placeholder',
  'num',
  '',
];

const NASTY_NUMBERS = [0, -0, 1, -1, 0.5, 2 ** 31, -(2 ** 31), 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 1e21, -1e-7];

/** Options of `randomValue()`. */
export interface RandomValueOptions {
  /** How deep arrays and objects nest. @default 4 */
  maxDepth?: number;
  /** The longest "huge" string, and the most characters of huge strings in one value. @default 100_000 */
  maxStringLength?: number;
  /** How many values (array items, object properties) one call builds at most. @default 2000 */
  maxNodes?: number;
}

/**
 * A random JSON-compatible value: null, booleans, edge-case numbers, nasty and huge strings,
 * arrays, objects with prototype-polluting keys (as own properties, the way `JSON.parse` makes them).
 */
export function randomValue(rng: FuzzRng, options: RandomValueOptions = {}): unknown {
  return generate(rng, options, 0, { nodes: options.maxNodes ?? 2000, chars: options.maxStringLength ?? 100_000 });
}

/** What is left to build: values, and characters of huge strings (so one value stays a sane size). */
interface Budget {
  nodes: number;
  chars: number;
}

function generate(rng: FuzzRng, options: RandomValueOptions, depth: number, budget: Budget): unknown {
  const { maxDepth = 4, maxStringLength = 100_000 } = options;
  budget.nodes--;
  const leaf = depth >= maxDepth || budget.nodes <= 0;
  const kind = rng.weighted<string>([
    [2, 'null'],
    [1, 'boolean'],
    [3, 'number'],
    [4, 'string'],
    [1, 'huge-string'],
    [leaf ? 0 : 3, 'array'],
    [leaf ? 0 : 5, 'object'],
  ]);
  switch (kind) {
    case 'null':
      return null;
    case 'boolean':
      return rng.chance(0.5);
    case 'number':
      return rng.chance(0.6) ? rng.pick(NASTY_NUMBERS) : (rng.next() - 0.5) * 10 ** rng.int(20);
    case 'string':
      return rng.chance(0.5) ? rng.pick(NASTY_STRINGS) : rng.string(rng.int(40));
    case 'huge-string': {
      const length = Math.min(rng.range(1000, maxStringLength), budget.chars);
      budget.chars -= length;
      return rng.string(length, 'xyz');
    }
    case 'array': {
      const length = rng.chance(0.1) ? rng.range(100, 1000) : rng.int(5);
      return Array.from({ length: Math.max(0, Math.min(length, budget.nodes)) }, () => generate(rng, options, depth + 1, budget));
    }
    default:
      return randomObject(rng, options, depth, budget);
  }
}

function randomObject(rng: FuzzRng, options: RandomValueOptions, depth: number, budget: Budget): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const size = Math.min(rng.int(6), Math.max(0, budget.nodes));
  for (let i = 0; i < size; i++) {
    const key = rng.chance(0.7) ? rng.pick(NASTY_KEYS) : rng.string(rng.range(1, 12));
    // An own property even for "__proto__", as JSON.parse makes it; a plain assignment would set the prototype.
    Object.defineProperty(object, key, {
      value: generate(rng, options, depth + 1, budget),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}

/** `depth` nested arrays (`[[[…]]]`) as JSON text: built as text, because so deep a value would overflow the client's own encoder. */
export function deeplyNestedJson(depth: number, open = '[', close = ']'): string {
  return open.repeat(depth) + close.repeat(depth);
}

/** Mutates a frame the way a broken client or a proxy would: truncates, flips, inserts, duplicates. */
export function mutateText(rng: FuzzRng, text: string): string {
  const mutations = rng.range(1, 3);
  let out = text;
  for (let m = 0; m < mutations; m++) {
    const at = rng.int(out.length + 1);
    switch (rng.int(6)) {
      case 0:
        out = out.slice(0, at); // truncated
        break;
      case 1:
        out = out.slice(0, at) + rng.string(rng.range(1, 4)) + out.slice(at); // inserted garbage
        break;
      case 2:
        out = out.slice(0, at) + out.slice(at + rng.range(1, 4)); // deleted bytes
        break;
      case 3:
        out = out.slice(0, at) + rng.pick(['"', '[', ']', '{', '}', ',', ':', '\\', '-', '/', '0', '9']) + out.slice(at + 1); // flipped
        break;
      case 4:
        out = out + out.slice(at); // duplicated tail
        break;
      default:
        out = rng.pick(['', ' ', '\u0000', '\ud800']) + out;
    }
  }
  return out;
}

/** One `@SubscribeMessage()` handler of a gateway, as Nest's metadata describes it. */
export interface GatewayHandler {
  /** The gateway class. */
  gateway: string;
  /** `@WebSocketGateway({ namespace })`, normalised to `/name`; `/` when none. */
  namespace: string;
  /** `'ws'` for a native WebSocket gateway. */
  transport?: string;
  /** A native gateway's path. */
  path?: string;
  /** The event name the handler subscribes to. */
  event: string;
}

/**
 * Every message handler of a gateway class, inherited ones included, read from the metadata
 * `@WebSocketGateway()` and `@SubscribeMessage()` leave:
 * a handler added later gets fuzzed without touching the test.
 */
export function gatewayHandlers(gateway: Function): GatewayHandler[] {
  const options = (Reflect.getMetadata(GATEWAY_OPTIONS, gateway) ?? {}) as { namespace?: unknown; transport?: string; path?: string };
  const namespace = typeof options.namespace === 'string' ? namespaceName(options.namespace) : '/';
  const events = new Set([...messageHandlers(gateway)].map(({ event }) => event));
  return [...events].map((event) => ({
    gateway: gateway.name,
    namespace,
    ...(options.transport ? { transport: options.transport } : {}),
    ...(options.path ? { path: options.path } : {}),
    event,
  }));
}

const CONTRACT_CODES: readonly string[] = REALTIME_ERROR_CODES;
const CONTRACT_KEYS = new Set(['status', 'code', 'message', 'details', 'event', 'requestId']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a reply claims to be an error (`status: 'error'`); it must then be a well-formed contract error. */
export function isErrorReply(reply: unknown): reply is Record<string, unknown> {
  return typeof reply === 'object' && reply !== null && (reply as { status?: unknown }).status === 'error';
}

/**
 * What is wrong with an error payload, or undefined when it is the contract:
 * `{ status: 'error', code, message, details?, event, requestId }`, a known code (or one of
 * `appCodes`), and `INTERNAL` saying only "Internal server error".
 */
export function contractViolation(payload: unknown, expectedEvent: string | undefined, appCodes: readonly string[] = []): string | undefined {
  if (!isErrorReply(payload)) return 'not an error payload';
  const extra = Object.keys(payload).filter((key) => !CONTRACT_KEYS.has(key));
  if (extra.length > 0) return `unexpected keys ${extra.join(', ')}`;
  const { code, message, event, requestId } = payload;
  if (typeof code !== 'string' || !(CONTRACT_CODES.includes(code) || appCodes.includes(code))) return `unknown code ${JSON.stringify(code)}`;
  if (typeof message !== 'string' || message === '') return 'no message';
  if (code === 'INTERNAL' && message !== 'Internal server error') return `INTERNAL with message ${JSON.stringify(message)}`;
  if (typeof event !== 'string') return 'no event';
  if (expectedEvent !== undefined && event !== expectedEvent) return `event ${JSON.stringify(event)} instead of ${JSON.stringify(expectedEvent)}`;
  if (typeof requestId !== 'string' || !UUID.test(requestId)) return `requestId ${JSON.stringify(requestId)}`;
  return undefined;
}

/** Text that only the server could have put in a frame: its paths, a stack trace. */
export function leakIn(text: string, secrets: readonly string[] = []): string | undefined {
  for (const marker of [process.cwd(), 'node_modules', ...secrets]) if (text.includes(marker)) return marker;
  if (/(\n|\\n)\s+at \S/.test(text)) return 'a stack trace';
  return undefined;
}
