import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { Logger, type INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModulesContainer } from '@nestjs/core';
import { GATEWAY_METADATA } from '@nestjs/websockets/constants.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '@nestjs-realtime/core/testing';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { AppModule } from '../src/app.module.js';
import { MAX_ROOM_MESSAGE_LENGTH } from '../src/chat/room-message.dto.js';
import { createWebSocketAdapter } from '../src/websocket-adapter.js';
import { login as loginAt } from './support/app-process.js';
import {
  contractViolation,
  fuzzScale,
  fuzzSeed,
  gatewayHandlers,
  isErrorReply,
  leakIn,
  mutateText,
  randomValue,
  FuzzRng,
  type GatewayHandler,
} from '@nestjs-realtime/core/testing';

/**
 * Issue #10, item 3, on the example app: random values into every handler of every gateway
 * (found from Nest's metadata, so a new handler is fuzzed without touching this file), garbage
 * frames on the native WebSocket, and random bodies on the HTTP endpoint that notifies users.
 * The app must never crash nor leave a promise rejection unhandled, must answer with the error
 * contract whenever it answers, must never leak internals, and must keep serving healthy clients.
 * `FUZZ_SEED=<n>` replays a run; `FUZZ_SCALE=<x>` runs more.
 */

const seed = fuzzSeed();
const scale = fuzzScale();
const SOCKET_IO_INPUTS = Math.round(2400 * scale);
const NATIVE_INPUTS = Math.round(1200 * scale);
/** Fuzzing users working in parallel, and messages each sends a second (the app allows 20 per connection, 40 per user). */
const LANES = 12;
const PER_ROUND = 15;
const HTTP_INPUTS = Math.round(300 * scale);
/** The library's own event on every connection, besides the gateways' handlers. */
const REFRESH = 'auth:refresh';
const UNHANDLED_EVENTS = ['nope', 'exception', 'error', '__proto__', 'constructor', 'toString', 'notification', 'presence:join', 'Message'];
const LIVE_ROOMS = ['general', 'lobby'];
const MAX_PAYLOAD = 1_000_000; // the app's maxHttpBufferSize (default): the native gateway's maxPayload too

/** Every `@SubscribeMessage()` handler of the app's gateways. */
function appGatewayHandlers(app: INestApplication): GatewayHandler[] {
  return [...app.get(ModulesContainer).values()]
    .flatMap((module) => [...module.providers.values()])
    .map((wrapper) => wrapper.metatype)
    .filter((metatype): metatype is Function => typeof metatype === 'function' && Reflect.getMetadata(GATEWAY_METADATA, metatype) === true)
    .flatMap(gatewayHandlers);
}

/**
 * In a binary packet every `{ _placeholder: true }` object stands for an attachment: random ones
 * make the packet malformed, and Socket.IO rightly hangs up (the core fuzz test sends those on purpose).
 */
function withoutPlaceholders(value: unknown): unknown {
  if (Buffer.isBuffer(value) || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(withoutPlaceholders);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty keeps an own "__proto__" key an own key, as JSON.parse makes it.
    Object.defineProperty(copy, key, { value: key === '_placeholder' && item === true ? 'true' : withoutPlaceholders(item), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? `<${value.length} bytes>` : safeJson(value);
  return text.length > 300 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

describe('fuzzing the example app', () => {
  let rt: RealtimeTestingApp;
  let handlers: GatewayHandler[];
  let healthyChat: Socket;
  let healthyDevice: NativeClient;
  const unhandled: unknown[] = [];
  const uncaught: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const onUncaught = (error: unknown) => uncaught.push(error);
  const violations: { what: string; input: string }[] = [];
  const stats = { inputs: 0, contractReplies: 0, normalReplies: 0, closedByServer: 0, healthChecks: 0, http: {} as Record<number, number> };
  const violation = (what: string, input: string) => {
    if (violations.length < 50) violations.push({ what, input });
  };
  const tokens = new Map<string, string>();
  /** The lanes' users (ids) and their tokens. */
  const laneUsers = Array.from({ length: LANES }, (_, lane) => `fuzzer ${lane}`);
  const laneTokens: string[] = [];

  async function login(name: string): Promise<string> {
    const token = await loginAt(rt.url, name);
    tokens.set(name, token);
    return token;
  }

  const ask = async (socket: Socket, what: string, ...args: unknown[]) => {
    try {
      return await socket.timeout(15_000).emitWithAck(what, ...args);
    } catch (error) {
      throw new Error(`the healthy client got no answer to ${what} after input ${stats.inputs} (seed ${seed}): ${(error as Error).message}`);
    }
  };

  /** Healthy clients on both transports, in the room the fuzzer aims at, answered as usual. */
  const expectHealthy = async () => {
    stats.healthChecks++;
    const presence = (await ask(healthyChat, 'roomPresence', { room: 'general' })) as { status: string; users: { userId: string }[] };
    expect(presence).toMatchObject({ status: 'ok', room: 'general' });
    expect(presence.users.map((u) => u.userId)).toContain('healthy');
    expect(await ask(healthyChat, 'message', { text: `still here after ${stats.inputs}` })).toMatchObject({ status: 'ok' });
    // Skipping the notifications the HTTP part sends to the healthy user.
    const whoami = await healthyDevice.request(JSON.stringify({ event: 'whoami' }), undefined, (frame) => frame?.event !== 'notification');
    expect(whoami).toMatchObject({ frame: { event: 'whoami', data: { id: 'healthy' } } });
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUncaught);
    // The app logs what it refuses; kept quiet here.
    for (const level of ['error', 'warn', 'log'] as const) vi.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    rt = await createRealtimeTestingApp(
      { imports: [AppModule] },
      {
        overrides: (b) => b.overrideProvider(ConfigService).useValue(new ConfigService({ REALTIME_TRANSPORTS: 'websocket' })),
        adapter: createWebSocketAdapter,
      },
    );
    handlers = appGatewayHandlers(rt.app);
    await login('Fuzzer');
    await login('Healthy');
    for (const user of laneUsers) laneTokens.push(await login(user));
    healthyChat = await rt.connect({ namespace: 'chat', auth: { token: tokens.get('Healthy') } });
    expect(await healthyChat.emitWithAck('joinRoom', { room: 'general' })).toMatchObject({ status: 'ok' });
    healthyDevice = await NativeClient.open(`${rt.url.replace('http', 'ws')}/ws`, tokens.get('Healthy')!);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUncaught);
    healthyDevice?.close();
    await rt?.close();
    vi.restoreAllMocks();
    console.log(
      `fuzz: ${stats.inputs} inputs (seed ${seed}), ${uncaught.length} crashes, ${unhandled.length} unhandled rejections, ` +
        `${stats.contractReplies} contract replies, ${stats.normalReplies} normal replies, ${stats.closedByServer} connections closed by the server, ` +
        `HTTP statuses ${JSON.stringify(stats.http)}, ${stats.healthChecks} health checks, ${violations.length} violations`,
    );
    for (const { what, input } of violations) console.log(`fuzz violation: ${what}\n  input: ${input}`);
  });

  it('finds the handlers of every gateway in Nest\'s metadata', () => {
    const found = handlers.map((h) => `${h.transport === 'ws' ? h.path : h.namespace} ${h.event}`).sort();
    expect(found).toEqual(expect.arrayContaining(['/chat joinRoom', '/chat leaveRoom', '/chat msgToRoom', '/chat roomPresence', '/chat message', '/ws whoami', '/ws roomPresence']));
  });

  /** A body shaped like what the handlers read, with random values in the fields; `ownToken` is the sender's. */
  function shapedBody(rng: FuzzRng, ownToken?: string): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    const field = (key: string, value: () => unknown) => {
      if (rng.chance(0.6)) Object.defineProperty(body, key, { value: value(), enumerable: true, writable: true, configurable: true });
    };
    field('room', () => rng.weighted<() => unknown>([[4, () => rng.pick(LIVE_ROOMS)], [1, () => 'private-fuzzer'], [1, () => 'private-healthy'], [3, () => randomValue(rng)], [2, () => rng.string(rng.range(1, 70), 'abc-_.:')]])());
    field('meta', () => (rng.chance(0.5) ? { device: rng.string(8) } : randomValue(rng)));
    field('message', () => randomValue(rng, { maxStringLength: 20_000 }));
    field('text', () => (rng.chance(0.5) ? rng.string(rng.int(600)) : randomValue(rng)));
    field('token', () => rng.pick([ownToken ?? '', ownToken ?? '', tokens.get('Fuzzer')!, 'not.a.jwt', '', rng.string(40)]));
    if (rng.chance(0.2)) field(rng.pick(['__proto__', 'constructor', 'isAdmin', 'event', 'then']), () => randomValue(rng));
    return body;
  }

  /** A body the handler accepts, so that success paths (presence churn, broadcasts, refreshes) run between the failures. */
  const validBody = (rng: FuzzRng, event: string, ownToken: string): unknown => {
    const room = rng.pick(LIVE_ROOMS);
    switch (event) {
      case 'joinRoom':
        return rng.chance(0.5) ? { room, meta: { device: rng.string(8) } } : { room };
      case 'msgToRoom':
        return { room, message: rng.string(rng.range(1, MAX_ROOM_MESSAGE_LENGTH)) };
      case 'message':
        return { text: rng.string(rng.range(1, 500)) };
      case REFRESH:
        return { token: ownToken };
      default:
        return { room };
    }
  };

  const randomArg = (rng: FuzzRng, event: string, ownToken: string) =>
    rng.weighted<() => unknown>([
      [3, () => validBody(rng, event, ownToken)],
      [5, () => shapedBody(rng, ownToken)],
      [4, () => randomValue(rng, { maxStringLength: 20_000 })],
      [1, () => rng.bytes(rng.int(3000))], // socket.io-client sends Buffers as binary attachments
      [1, () => ({ room: rng.pick(LIVE_ROOMS), meta: { avatar: rng.bytes(rng.int(500)) } })],
    ])();

  /** What a successful answer of each handler looks like; failures must be the error contract. */
  const resultOk = (event: string, result: unknown): boolean => {
    const keys = (r: unknown) => (typeof r === 'object' && r !== null ? Object.keys(r).sort() : []);
    const status = (result as { status?: unknown } | null)?.status;
    switch (event) {
      case 'joinRoom':
      case 'roomPresence':
        return status === 'ok' && isDeepStrictEqual(keys(result), ['count', 'mode', 'next', 'room', 'status', 'users']);
      case 'leaveRoom':
        return status === 'ok' && isDeepStrictEqual(keys(result), ['room', 'status']);
      case 'msgToRoom':
      case 'message':
        return status === 'ok' && isDeepStrictEqual(keys(result), ['at', 'status']);
      case REFRESH:
        return status === 'ok' && isDeepStrictEqual(keys(result), ['expiresAt', 'status']);
      default:
        return false; // a handler this test does not know yet: it may only fail, with the contract
    }
  };

  /**
   * Runs `inputs` inputs over parallel lanes, one fuzzing user each, in rounds of at most
   * `PER_ROUND` messages a second per user: under the app's rate limit (20 a second per
   * connection, 40 per user), so the handlers, not the limiter, answer. Each lane has its own
   * generator, so a seed replays the same inputs whatever the interleaving.
   */
  async function inLanes(inputs: number, laneSeed: number, round: (lane: number, rng: FuzzRng, count: number) => Promise<boolean>): Promise<void> {
    const perLane = Math.ceil(inputs / LANES);
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        const rng = new FuzzRng(laneSeed + lane * 7919);
        for (let done = 0; done < perLane; done += PER_ROUND) {
          const [keepGoing] = await Promise.all([round(lane, rng, Math.min(PER_ROUND, perLane - done)), delay(1000)]);
          if (!keepGoing) return;
          if (lane === 0 && (done / PER_ROUND) % 8 === 7) await expectHealthy();
        }
      }),
    );
  }

  it(`answers ${SOCKET_IO_INPUTS} random payloads to every Socket.IO handler with a result or the error contract`, async () => {
    const before = violations.length;
    const socketIoHandlers = handlers.filter((h) => h.transport !== 'ws');
    const namespaces = [...new Set(['/', '/notifications', ...socketIoHandlers.map((h) => h.namespace)])];
    const lanes = await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        const sockets = new Map<string, Socket>();
        for (const nsp of namespaces) {
          const socket = await rt.connect({ namespace: nsp, auth: { token: laneTokens[lane] } });
          sockets.set(nsp, socket);
          // Errors of messages sent without an ack arrive as `exception` events.
          socket.on('exception', (payload: unknown) => {
            const problem = contractViolation(payload, undefined);
            if (problem) violation(`exception event breaks the contract (${problem}): ${show(payload)}`, `${nsp}, a message sent without ack (seed ${seed})`);
            else stats.contractReplies++;
            const leak = leakIn(safeJson(payload));
            if (leak) violation(`exception event leaks ${leak}`, nsp);
          });
          socket.on('disconnect', (reason: string) => {
            if (reason !== 'io client disconnect') violation(`the server disconnected a client that sent only well-formed messages (${reason})`, `${nsp}, lane ${lane} (seed ${seed})`);
          });
        }
        return sockets;
      }),
    );

    await inLanes(SOCKET_IO_INPUTS, seed, async (lane, rng, count) => {
      const sockets = lanes[lane]!;
      const batch = Array.from({ length: count }, () => {
        const target = rng.weighted<() => { nsp: string; event: string }>([
          [88, () => rng.pick(socketIoHandlers.map((h) => ({ nsp: h.namespace, event: h.event })))],
          [7, () => ({ nsp: rng.pick(namespaces), event: REFRESH })],
          [5, () => ({ nsp: rng.pick(namespaces), event: rng.pick(UNHANDLED_EVENTS) })],
        ])();
        const args = Array.from({ length: rng.weighted([[80, 1], [8, 0], [12, rng.range(2, 3)]]) }, () => withoutPlaceholders(randomArg(rng, target.event, laneTokens[lane]!)));
        const handled = target.event === REFRESH || socketIoHandlers.some((h) => h.namespace === target.nsp && h.event === target.event);
        return { ...target, args, acked: handled && rng.chance(0.85) };
      });
      const results = await Promise.all(
        batch.map(async ({ nsp, event, args, acked }) => {
          const socket = sockets.get(nsp)!;
          stats.inputs++;
          const input = `${nsp} ${event} with ${args.length} argument(s) ${show(args)} (seed ${seed}, lane ${lane})`;
          if (!acked) {
            socket.emit(event, ...args);
            return true;
          }
          let reply: unknown;
          try {
            reply = await socket.timeout(15_000).emitWithAck(event, ...args);
          } catch {
            violation('no reply to an acked message', input);
            return false;
          }
          const leak = leakIn(safeJson(reply));
          if (leak) violation(`reply leaks ${leak}: ${show(reply)}`, input);
          if (isErrorReply(reply)) {
            const problem = contractViolation(reply, event);
            if (problem) violation(`error reply breaks the contract (${problem}): ${show(reply)}`, input);
            else stats.contractReplies++;
          } else if (!resultOk(event, reply)) {
            violation(`unexpected reply ${show(reply)}`, input);
          } else {
            stats.normalReplies++;
          }
          return true;
        }),
      );
      // A lane that waited out a deadline, or lost a connection, has shown enough.
      return !results.includes(false) && [...sockets.values()].every((socket) => socket.connected);
    });
    for (const socket of lanes.flatMap((sockets) => [...sockets.values()])) socket.close();
    await expectHealthy();

    expect(uncaught).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(violations.slice(before)).toEqual([]);
  }, 180_000);

  it(`answers ${NATIVE_INPUTS} random and malformed frames on the native WebSocket with a result or the error contract`, async () => {
    const before = violations.length;
    const nativeHandlers = handlers.filter((h) => h.transport === 'ws');
    const path = nativeHandlers[0]?.path ?? '/ws';
    const url = `${rt.url.replace('http', 'ws')}${path}`;
    const events = [...nativeHandlers.map((h) => h.event), REFRESH];

    /** One frame: `{ event, data }` with random data, or garbage. */
    const frame = (rng: FuzzRng, ownToken: string): { data: string | Buffer; binary?: boolean } => {
      const kind = rng.weighted<string>([
        [60, 'event'],
        [8, 'unknown-event'],
        [8, 'not-a-frame'],
        [8, 'broken-json'],
        [6, 'mutated'],
        [4, 'binary-json'],
        [3, 'binary-garbage'],
        [1, 'invalid-utf8'],
        [0.2, 'oversize'],
      ]);
      const data = rng.chance(0.8) ? (rng.chance(0.5) ? shapedBody(rng, ownToken) : randomValue(rng, { maxStringLength: 20_000 })) : undefined;
      switch (kind) {
        case 'event': {
          const event = rng.pick(events);
          return { data: JSON.stringify({ event, data: rng.chance(0.3) ? validBody(rng, event, ownToken) : data }) };
        }
        case 'unknown-event':
          return { data: JSON.stringify({ event: rng.pick<unknown>([...UNHANDLED_EVENTS, '', 5, null, {}, ['whoami']]), data }) };
        case 'not-a-frame':
          return { data: JSON.stringify(rng.pick<unknown>([null, 5, 'whoami', [], ['whoami', {}], { data: {} }, { Event: 'whoami' }, { event: { toString: 'whoami' } }, true])) };
        case 'broken-json':
          return { data: rng.pick(['', ' ', '{', '{"event":', '{"event":"whoami"', '{"event":"whoami",}', "{'event':'whoami'}", 'undefined', 'NaN', rng.string(rng.int(200))]) };
        case 'mutated':
          return { data: mutateText(rng, JSON.stringify({ event: rng.pick(events), data: { room: rng.pick(LIVE_ROOMS) } })) };
        case 'binary-json':
          return { data: Buffer.from(JSON.stringify({ event: rng.pick(events), data })) };
        case 'binary-garbage':
          return { data: rng.bytes(rng.int(500)) };
        case 'invalid-utf8':
          return { data: Buffer.from([0x7b, 0xff, 0xfe, 0xc0, 0x80, 0x7d]), binary: false };
        default:
          return { data: JSON.stringify({ event: 'whoami', data: 'x'.repeat(MAX_PAYLOAD + 10) }) };
      }
    };

    /** Whether an answer is right: the handler's frame for its event, or an `exception` frame with the contract. */
    const checkAnswer = (answer: { frame?: { event?: unknown; data?: unknown }; text: string }, userId: string, sent: string) => {
      const leak = leakIn(answer.text);
      if (leak) violation(`the server sent ${leak}: ${show(answer.text)}`, sent);
      const { event, data } = answer.frame ?? {};
      if (event === 'exception') {
        const problem = contractViolation(data, undefined);
        if (problem) violation(`exception frame breaks the contract (${problem}): ${show(answer.text)}`, sent);
        else stats.contractReplies++;
        return;
      }
      const ok =
        (event === 'whoami' && (data as { id?: unknown } | null)?.id === userId) ||
        (event === 'roomPresence' && isDeepStrictEqual(Object.keys((data as object | null) ?? {}).sort(), ['connections', 'room', 'users'])) ||
        (event === REFRESH && resultOk(REFRESH, data));
      if (ok) stats.normalReplies++;
      else violation(`unexpected frame ${show(answer.text)}`, sent);
    };

    // A device may only ask about its user's rooms: each lane's user is in 'general' (not 'lobby') from a chat tab.
    for (const token of laneTokens) {
      const chat = await rt.connect({ namespace: 'chat', auth: { token } });
      await chat.emitWithAck('joinRoom', { room: LIVE_ROOMS[0] });
    }
    const devices = await Promise.all(laneTokens.map((token) => NativeClient.open(url, token)));
    await inLanes(NATIVE_INPUTS, seed ^ 0x9e3779b9, async (lane, rng, count) => {
      for (let i = 0; i < count; i++) {
        const { data, binary } = frame(rng, laneTokens[lane]!);
        const input = `${show(data)} (seed ${seed}, lane ${lane})`;
        stats.inputs++;
        // Every frame gets exactly one answer; a frame the WebSocket protocol itself refuses (invalid UTF-8, over maxPayload) closes the connection.
        const answer = await devices[lane]!.request(data, binary).catch(() => 'deadline' as const);
        if (answer === 'deadline') {
          violation('no answer and no close', input);
          return false;
        }
        if (answer === 'closed') {
          stats.closedByServer++;
          const { code } = await devices[lane]!.closed;
          const expected = binary === false ? 1007 : Buffer.byteLength(data) > MAX_PAYLOAD ? 1009 : undefined;
          if (code !== expected) violation(`the server closed the connection (${code})`, input);
        } else {
          checkAnswer(answer, laneUsers[lane]!, input);
        }
        if (!devices[lane]!.isOpen) devices[lane] = await NativeClient.open(url, laneTokens[lane]!);
      }
      return true;
    });
    for (const device of devices) device.close();
    await expectHealthy();

    expect(uncaught).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(violations.slice(before)).toEqual([]);
  }, 180_000);

  it(`answers ${HTTP_INPUTS} random POST /notifications/:userId requests with a 2xx or 4xx, never a 5xx`, async () => {
    const before = violations.length;
    const rng = new FuzzRng(seed ^ 0x5bd1e995);
    const received: unknown[] = [];
    healthyChat.on('notification', (n: unknown) => received.push(n));
    let delivered = 0;
    const request = async () => {
      const userId = rng.weighted<() => string>([
        [4, () => 'healthy'],
        [3, () => encodeURIComponent(rng.string(rng.range(1, 40)))],
        [1, () => rng.pick(['%', '%E0%A4%A', '..', '%2e%2e', '__proto__', 'constructor', 'x'.repeat(5000), '%00'])],
      ])();
      const body = rng.weighted<() => string>([
        [4, () => JSON.stringify({ text: rng.chance(0.5) ? rng.string(rng.int(600)) : randomValue(rng) })],
        [3, () => JSON.stringify(rng.chance(0.5) ? shapedBody(rng) : randomValue(rng, { maxStringLength: 200_000 }))],
        [2, () => mutateText(rng, JSON.stringify({ text: 'hello' }))],
        [1, () => rng.pick(['', '{"__proto__":{"isAdmin":true},"text":"x"}', '{"constructor":{"prototype":{"x":1}},"text":"x"}', `{"text":${'['.repeat(5000)}${']'.repeat(5000)}}`])],
      ])();
      const contentType = rng.weighted<string | undefined>([[8, 'application/json'], [1, 'text/plain'], [1, undefined], [1, 'application/x-www-form-urlencoded']]);
      const authorization = rng.weighted<string | undefined>([[8, `Bearer ${tokens.get('Fuzzer')}`], [1, undefined], [1, 'Bearer not.a.jwt'], [1, rng.string(30)]]);
      const headers: Record<string, string> = {};
      if (contentType) headers['content-type'] = contentType;
      if (authorization) headers.authorization = authorization;
      stats.inputs++;
      const input = `POST /notifications/${show(userId)} ${JSON.stringify(headers)} ${show(body)} (seed ${seed})`;
      const response = await fetch(`${rt.url}/notifications/${userId}`, { method: 'POST', headers, body });
      const text = await response.text();
      stats.http[response.status] = (stats.http[response.status] ?? 0) + 1;
      if (response.status >= 500 || response.status < 200) violation(`HTTP ${response.status}: ${show(text)}`, input);
      const leak = leakIn(text);
      if (leak) violation(`HTTP ${response.status} leaks ${leak}: ${show(text)}`, input);
      if (response.status === 202) {
        expect(JSON.parse(text)).toEqual({ status: 'sent' });
        if (userId === 'healthy') delivered++;
      }
    };
    for (let sent = 0; sent < HTTP_INPUTS; sent += 10) await Promise.all(Array.from({ length: Math.min(10, HTTP_INPUTS - sent) }, request));
    await expectHealthy(); // a round trip: notifications sent before it have arrived
    healthyChat.off('notification');
    expect(received).toHaveLength(delivered);

    expect(uncaught).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(violations.slice(before)).toEqual([]);
  }, 180_000);
});

/** A native WebSocket client that sends one frame at a time and awaits its one answer (or the close). */
class NativeClient {
  private waiting?: (answer: { frame?: { event?: unknown; data?: unknown }; text: string } | 'closed') => void;
  private accept?: (frame: { event?: unknown } | undefined) => boolean;
  private isClosed = false;
  readonly closed: Promise<{ code: number }>;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const text = raw.toString();
      let frame: { event?: unknown; data?: unknown } | undefined;
      try {
        frame = JSON.parse(text) as { event?: unknown; data?: unknown };
      } catch {
        frame = undefined;
      }
      if (this.accept && !this.accept(frame)) return;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.({ frame, text });
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', (code) => {
        this.isClosed = true;
        this.waiting?.('closed');
        this.waiting = undefined;
        resolve({ code });
      }),
    );
  }

  /** Opens `/ws` with the token as the subprotocol, as a browser would. */
  static open(url: string, token: string): Promise<NativeClient> {
    const socket = new WebSocket(url, ['bearer', token]);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new NativeClient(socket)));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return !this.isClosed && this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a frame; resolves with the next frame from the server (that `accept` lets through), or `'closed'`; rejects when neither comes. */
  request(
    data: string | Buffer,
    binary?: boolean,
    accept?: (frame: { event?: unknown } | undefined) => boolean,
  ): Promise<{ frame?: { event?: unknown; data?: unknown }; text: string } | 'closed'> {
    if (!this.isOpen) return Promise.resolve('closed');
    this.accept = accept;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new Error('no answer and no close within 15000 ms'));
      }, 15_000);
      this.waiting = (answer) => {
        clearTimeout(timer);
        resolve(answer);
      };
      this.socket.send(data, { binary: binary ?? typeof data !== 'string' });
    });
  }

  close(): void {
    this.socket.terminate();
  }
}
