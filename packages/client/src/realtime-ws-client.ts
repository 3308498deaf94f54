import { backoffDelay, jittered } from './backoff.js';
import { sleep, systemClock, type Clock } from './clock.js';
import { ConnectionState } from './connection-state.js';
import type { AnsweredRequestName, ListenedEvents, NativeReply, PayloadArgs, RealtimeContract, RequestName, RequestPayload, UntypedContract } from './contract.js';
import { Heartbeat, heartbeatTiming } from './heartbeat.js';
import { optionalDelay } from './delay-option.js';
import { Listeners } from './listeners.js';
import {
  AUTH_EXPIRING,
  EXCEPTION,
  REALTIME_DISCONNECTED,
  REALTIME_PING,
  SERVER_DRAINING,
  WS_CLOSE_AUTH_EXPIRED,
  WS_CLOSE_DISCONNECTED,
  WS_CLOSE_RATE_LIMITED,
  WS_CLOSE_REFUSED,
  WS_CLOSE_TOO_MANY_CONNECTIONS,
  WS_TOKEN_PROTOCOL,
  type NativeProtocolEvents,
} from './protocol.js';
import { connectionLostError, fromPayload, isErrorPayload, notConnectedError, RealtimeError, serverDisconnectError } from './realtime-error.js';
import { ReplyQueue, type PendingReply } from './reply-queue.js';
import { retryRateLimited } from './request-retry.js';
import { MAX_EXPIRED_RETRIES, readToken, refreshToken, type TokenProvider } from './token-provider.js';
import { watchUpgradeRefusal, type UpgradeRefusal } from './upgrade-refusal.js';

/**
 * What the client needs of a WebSocket: the browser's, or the `ws` package's in Node. The
 * handlers take `never` so that both fit: their event classes differ, and the client reads only
 * `data`, `code` and `reason`, which both have.
 */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket constructor: the platform's `WebSocket`, or the `ws` package's default export. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** Options of `new RealtimeWsClient(options)`. */
export interface RealtimeWsClientOptions {
  /**
   * The native gateway's URL: `wss://api.example.com/ws`. `http(s)://` is taken as `ws(s)://`;
   * in a browser, a path (`/ws`) is resolved against the page.
   */
  url: string;
  /**
   * The token, asked for at connect, at every reconnect, on `auth:expiring` (the client then
   * refreshes the live connection by itself) and after an `expired_token` refusal. It travels as
   * the subprotocols `['bearer', token]`, which browsers can send and the server reads.
   * @default no token (public gateways)
   */
  getToken?: TokenProvider;
  /**
   * How long a request waits for its answer before it fails with `TIMEOUT`.
   * @default 10000
   */
  requestTimeoutMs?: number;
  /**
   * How many times a request refused with `RATE_LIMITED` is sent again, each after the server's
   * `retryAfterMs`.
   * @default 0
   */
  rateLimitRetries?: number;
  /**
   * Connect at once.
   * @default true
   */
  autoConnect?: boolean;
  /**
   * The WebSocket implementation. Node before 22 has none built in: pass the `ws` package's.
   * @default globalThis.WebSocket
   */
  WebSocket?: WebSocketConstructor;
  /**
   * More subprotocols to offer, after the token's. When a token is sent the server answers with
   * `bearer`, whatever else is offered.
   * @default []
   */
  protocols?: string[];
  /**
   * The wait before the first reconnect after a lost connection; it doubles with every failed
   * attempt, with jitter.
   * @default 1000
   */
  reconnectDelayMs?: number;
  /**
   * The longest wait between reconnect attempts.
   * @default 5000
   */
  reconnectDelayMaxMs?: number;
  /**
   * Spreads reconnects (0 to 1: half to one and a half times the wait), so a deploy or a network
   * blip does not bring every client back at the same moment.
   * @default Math.random
   */
  random?: () => number;
  /**
   * How long the connection may stay silent (no frame received) before the client sends a
   * `realtime:ping`, to learn whether it is still alive: a browser answers the server's WebSocket
   * pings itself and never tells the page, so a connection that died without closing (sleep,
   * Wi-Fi switch, a NAT that dropped it) would otherwise look open for minutes. A connection that
   * receives frames sends no ping. Keep it below the idle timeouts of the proxies on the way
   * (often 30 to 60 s). `0` or `false` turns the heartbeat off.
   * @default 25000
   */
  heartbeatIntervalMs?: number | false;
  /**
   * How long after its `realtime:ping` the client waits for a frame (any frame) before it takes
   * the connection for lost: it closes it and reconnects as after any drop (status
   * `reconnecting`, backoff, waiting requests fail with `DISCONNECTED`). A dead connection is
   * noticed at most `heartbeatIntervalMs + heartbeatTimeoutMs` after its last frame.
   * @default 15000
   */
  heartbeatTimeoutMs?: number;
  /**
   * How long an attempt to connect may take, from opening the WebSocket to its `open`: one that
   * takes longer (a network that swallows the upgrade request, a proxy that never answers) is
   * abandoned and tried again with backoff, as a failed one is. `0` or `false` waits as long as
   * the WebSocket implementation does (Node's `ws`: indefinitely by default).
   * @default 20000
   */
  connectTimeoutMs?: number | false;
  /**
   * The timers reconnects, request timeouts, retries, the heartbeat and the connect timeout are scheduled on.
   * @default the platform's setTimeout / clearTimeout
   */
  clock?: Clock;
}

/** Options of one `RealtimeWsClient.request()`. */
export interface WsRequestOptions {
  /**
   * The event of the frame that answers, when the handler answers under another name than the
   * request's (`return { event: 'pong', data }` to `ping`).
   * @default the request's event
   */
  replyEvent?: string;
}

/**
 * A request's arguments: the payload (optional when the contract allows `undefined`), then the
 * options, which must name the reply's event when the contract's reply frame has another name.
 */
type WsRequestArgs<C, E extends RequestName<C>> =
  NativeReply<C, E>['event'] extends E
    ? undefined extends RequestPayload<C, E>
      ? [payload?: RequestPayload<C, E>, options?: WsRequestOptions]
      : [payload: RequestPayload<C, E>, options?: WsRequestOptions]
    : [payload: RequestPayload<C, E>, options: WsRequestOptions & { replyEvent: NativeReply<C, E>['event'] }];

type Listened<C> = ListenedEvents<C, NativeProtocolEvents>;

/** A frame to send, and the request waiting for its answer, if any. */
interface Outgoing {
  text: string;
  request?: PendingReply;
}

/** `WebSocket.OPEN` */
const OPEN = 1;
/** What a draining server that names no delay gets: about a second. */
const DEFAULT_DRAIN_DELAY_MS = 1000;
/** What Socket.IO's client waits for a connection (its `timeout`). */
const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
const PING_FRAME = JSON.stringify({ event: REALTIME_PING });

/**
 * The client of a native WebSocket gateway of `@nestjs-realtime/core` (`RealtimeWsAdapter`,
 * frames `{ event, data }`), for pages and devices that should not ship Socket.IO. It speaks the
 * same protocol as `RealtimeClient` where the transport allows: tokens at every (re)connect and
 * refreshed before they expire, the error contract as `RealtimeError`, reconnects with backoff,
 * a heartbeat that notices a connection that died without closing, a calm move off a draining
 * server, and a status a UI can subscribe to. Native gateways have no namespaces, rooms or
 * presence.
 *
 * Requests are matched to replies **by event name, first in first out**: the protocol carries no
 * request ids. A request resolves with the `data` of the next frame named like it (or like its
 * `replyEvent`), and fails with the next `exception` naming its event. Give replies a name the
 * server pushes nothing else under (`message` → `message:sent`), and do not `emit` an event
 * while a request of the same event waits: its error would be taken for the request's.
 *
 * Import it from `@nestjs-realtime/client/ws` to leave `socket.io-client` out of the bundle.
 *
 * ```ts
 * import { RealtimeWsClient } from '@nestjs-realtime/client/ws';
 * import WebSocket from 'ws'; // Node before 22; browsers have their own
 * const device = new RealtimeWsClient<DeviceContract>({ url: 'wss://api.example.com/ws', getToken, WebSocket });
 * const me = await device.request('whoami');
 * device.on('note', ({ text }) => show(text));
 * ```
 */
export class RealtimeWsClient<C extends RealtimeContract = UntypedContract> extends ConnectionState {
  private readonly listeners = new Map<string, Listeners<unknown>>();
  private readonly replies: ReplyQueue;
  private readonly url: string;
  private readonly WebSocket: WebSocketConstructor;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly requestTimeoutMs: number;
  private readonly rateLimitRetries: number;
  /** Absent when `heartbeatIntervalMs` turned it off. */
  private readonly heartbeat?: Heartbeat;
  /** Frames written before the connection opened: sent in order once it does. */
  private outbox: Outgoing[] = [];
  /** The connection, open or opening; events of any other are stale and ignored. */
  private socket?: WebSocketLike;
  /** Counts attempts to open, so one overtaken by `close()` while it awaited its token gives up. */
  private attempt = 0;
  /** Failed attempts since the last connection that opened: the backoff's exponent. */
  private failures = 0;
  private expiredRetries = 0;
  private everConnected = false;
  private timer?: unknown;
  /** Absent when `connectTimeoutMs` turned it off. */
  private readonly connectTimeoutMs?: number;
  /** Gives up the attempt under way when it does not open within `connectTimeoutMs`. */
  private openTimer?: unknown;
  /** The reason `realtime:disconnected` gave, for the close that follows it. */
  private farewell?: string | null;

  constructor(private readonly options: RealtimeWsClientOptions) {
    super('offline');
    const WebSocket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WebSocket) {
      throw new Error('RealtimeWsClient: this platform has no WebSocket. Pass one as the `WebSocket` option (in Node before 22: `import WebSocket from \'ws\'`).');
    }
    this.WebSocket = WebSocket;
    this.url = webSocketUrl(options.url);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.rateLimitRetries = options.rateLimitRetries ?? 0;
    this.replies = new ReplyQueue(this.clock);
    this.connectTimeoutMs = optionalDelay('connectTimeoutMs', options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, '0 or false waits as long as the WebSocket does');
    const timing = heartbeatTiming(options);
    if (timing) this.heartbeat = new Heartbeat(this.clock, timing, { ping: () => this.ping(), dead: () => this.unanswered(timing.intervalMs + timing.timeoutMs) });
    if (options.autoConnect !== false) this.connect();
  }

  /** Opens the connection (again, after `close()`, a refusal or a disconnect by the server); at once when it was waiting to reconnect. */
  connect(): void {
    if (this.socket) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.failures = 0;
    this.expiredRetries = 0;
    this.statusStore.set(this.everConnected ? 'reconnecting' : 'connecting');
    void this.open();
  }

  /** Closes the connection; requests still waiting fail with `DISCONNECTED`. `connect()` opens it again. */
  close(): void {
    this.stop('offline');
  }

  /**
   * Sends a request and resolves with the `data` of the frame that answers it; rejects with a
   * `RealtimeError`: the server's refusal (an `exception` naming this event), `TIMEOUT`, or
   * `DISCONNECTED`. Sent once connected when the client is (re)connecting.
   */
  request<E extends AnsweredRequestName<C>>(event: E, ...args: WsRequestArgs<C, E>): Promise<NativeReply<C, E>['data']> {
    const [payload, options] = args as [unknown, WsRequestOptions?];
    const replyEvent = options?.replyEvent ?? event;
    return retryRateLimited(() => this.ask(event, payload, replyEvent), this.rateLimitRetries, (ms) => sleep(this.clock, ms)) as Promise<NativeReply<C, E>['data']>;
  }

  /** Sends a message without waiting for an answer; a refusal arrives through `onError`. */
  emit<E extends RequestName<C>>(event: E, ...[payload]: PayloadArgs<RequestPayload<C, E>>): void {
    if (this.isClosed()) return this.report(notConnectedError(event));
    const text = frameText(event, payload);
    if (text instanceof RealtimeError) return this.report(text);
    this.send({ text });
  }

  /**
   * Listens to an event of the contract, or of the protocol; returns the removal. A frame that
   * answers a request is that request's, and not an event.
   */
  on<E extends keyof Listened<C> & string>(event: E, listener: (payload: Listened<C>[E]) => void): () => void {
    let listeners = this.listeners.get(event);
    if (!listeners) this.listeners.set(event, (listeners = new Listeners()));
    return listeners.add(listener as (payload: unknown) => void);
  }

  private ask(event: string, payload: unknown, replyEvent: string): Promise<unknown> {
    if (this.isClosed()) return Promise.reject(notConnectedError(event));
    const text = frameText(event, payload);
    if (text instanceof RealtimeError) return Promise.reject(text);
    const request = this.replies.wait(event, replyEvent, this.requestTimeoutMs);
    this.send({ text, request });
    return request.reply;
  }

  private send(frame: Outgoing): void {
    const socket = this.socket;
    if (socket && socket.readyState === OPEN && this.statusStore.getSnapshot() === 'connected') this.write(socket, frame);
    else this.outbox.push(frame);
  }

  private write(socket: WebSocketLike, { text, request }: Outgoing): void {
    // Timed out while the connection was away: sending it now would only confuse the next answer.
    if (request?.settled) return;
    socket.send(text);
    if (request) request.sentOn = socket;
  }

  private async open(): Promise<void> {
    const attempt = ++this.attempt;
    const token = await readToken(this.options.getToken, this.report);
    if (attempt !== this.attempt) return;
    const protocols = [...(token ? [WS_TOKEN_PROTOCOL, token] : []), ...(this.options.protocols ?? [])];
    let socket: WebSocketLike;
    try {
      socket = new this.WebSocket(this.url, protocols);
    } catch (cause) {
      // A token that is no valid subprotocol, say: trying again with the same would fail the same way.
      this.error = new RealtimeError('DISCONNECTED', `Cannot open a WebSocket: ${(cause as Error)?.message ?? cause}`, undefined, 'connection');
      return this.stop('refused');
    }
    this.socket = socket;
    const connectTimeoutMs = this.connectTimeoutMs;
    if (connectTimeoutMs !== undefined) this.openTimer = this.clock.setTimeout(() => this.openTimedOut(socket, connectTimeoutMs), connectTimeoutMs);
    let opened = false;
    let refusal: UpgradeRefusal | undefined;
    watchUpgradeRefusal(socket, (answer) => (refusal = answer));
    socket.onopen = () => {
      if (socket !== this.socket) return;
      opened = true;
      this.opened(socket);
    };
    socket.onmessage = (event: { data: unknown }) => {
      if (socket !== this.socket) return;
      this.heartbeat?.heard();
      this.received(event.data);
    };
    // The close that always follows says all an error event could; without a listener Node's `ws` would throw.
    socket.onerror = () => undefined;
    socket.onclose = ({ code, reason }: { code: number; reason: string }) => {
      if (socket !== this.socket) return;
      this.release(socket);
      if (opened) this.lost(code, reason);
      else this.failed(refusal);
    };
  }

  private opened(socket: WebSocketLike): void {
    this.clearOpenTimer();
    this.everConnected = true;
    this.failures = 0;
    this.expiredRetries = 0;
    this.error = undefined;
    this.farewell = undefined;
    this.statusStore.set('connected');
    this.heartbeat?.start();
    const queued = this.outbox;
    this.outbox = [];
    for (const frame of queued) this.write(socket, frame);
  }

  private received(raw: unknown): void {
    const frame = parseFrame(raw);
    if (!frame) return;
    const { event, data } = frame;
    if (event === AUTH_EXPIRING) void this.refresh();
    else if (event === SERVER_DRAINING) this.moveOff((data as { reconnectDelayMs?: unknown } | undefined)?.reconnectDelayMs);
    else if (event === REALTIME_DISCONNECTED) this.farewell = (data as { reason?: string | null } | undefined)?.reason ?? null;
    if (this.replies.settle(event, data)) return;
    // The heartbeat's answer (or the refusal of a ping, rate limit, an old server's NOT_FOUND) is
    // the library's: its arrival was all that counted.
    if (event === REALTIME_PING || (event === EXCEPTION && (data as { event?: unknown } | undefined)?.event === REALTIME_PING)) return;
    if (event === EXCEPTION && isErrorPayload(data)) {
      const error = fromPayload(data);
      // `handleConnection` failed: the close (4000) that follows makes it the refusal's reason.
      if (data.event === 'connection') this.error = error;
      else this.report(error);
    }
    this.listeners.get(event)?.emit(data);
  }

  /** A connection that never opened: the server's answer when it could be read, else a network failure. */
  private failed(refusal: UpgradeRefusal | undefined): void {
    if (!refusal) {
      // A browser cannot read why an upgrade failed: a refusal and an outage look the same here.
      this.error = new RealtimeError('DISCONNECTED', 'The WebSocket did not open (the server is unreachable, or refused the upgrade)', undefined, 'connection');
      return this.retryLater();
    }
    this.error = refusal.error;
    // A token that expired between the provider and the server: again at once, with a fresh one.
    if (refusal.error.reason === 'expired_token' && this.expiredRetries < MAX_EXPIRED_RETRIES) {
      this.expiredRetries += 1;
      return void this.open();
    }
    if (refusal.final) this.stop('refused');
    else this.retryLater();
  }

  /** A connection that was open and closed: the close code says whether to come back. */
  private lost(code: number, reason: string): void {
    const farewell = this.farewell;
    this.farewell = undefined;
    switch (code) {
      case WS_CLOSE_AUTH_EXPIRED:
        // Back at once, with a token asked for afresh.
        this.statusStore.set('reconnecting');
        return void this.open();
      case WS_CLOSE_DISCONNECTED:
      case WS_CLOSE_RATE_LIMITED:
      case WS_CLOSE_TOO_MANY_CONNECTIONS:
        // On purpose: coming back would be refused, or (too many connections) evict another of the user's tabs, back and forth.
        this.error = serverDisconnectError(reason || farewell);
        return this.stop('offline');
      case WS_CLOSE_REFUSED:
        this.error ??= new RealtimeError('DISCONNECTED', 'The server refused the connection', undefined, 'connection');
        return this.stop('refused');
      default:
        // Going away (1001), a dropped network (1006), anything else: back, with backoff.
        this.error = new RealtimeError('DISCONNECTED', `The connection closed (${code}${reason ? `: ${reason}` : ''})`, undefined, 'connection');
        return this.retryLater();
    }
  }

  private retryLater(): void {
    this.statusStore.set(this.everConnected ? 'reconnecting' : 'connecting');
    this.reopenAfter(backoffDelay(this.failures++, this.options.reconnectDelayMs ?? 1000, this.options.reconnectDelayMaxMs ?? 5000, this.random));
  }

  /** `server:draining`: leave now, and come back after the server's delay, with jitter. */
  private moveOff(delayMs: unknown): void {
    const socket = this.socket;
    if (!socket) return;
    this.release(socket);
    socket.close(1000);
    this.statusStore.set('reconnecting');
    this.reopenAfter(jittered(typeof delayMs === 'number' && delayMs >= 0 ? delayMs : DEFAULT_DRAIN_DELAY_MS, this.random));
  }

  /** The attempt did not open within `connectTimeoutMs`: abandoned, and tried again as a failed one. */
  private openTimedOut(socket: WebSocketLike, afterMs: number): void {
    this.openTimer = undefined;
    if (socket === this.socket) this.abandon(socket, `The WebSocket did not open within ${afterMs} ms`);
  }

  private clearOpenTimer(): void {
    this.clock.clearTimeout(this.openTimer);
    this.openTimer = undefined;
  }

  /** The heartbeat: the connection was silent for `heartbeatIntervalMs`. */
  private ping(): void {
    const socket = this.socket;
    if (socket?.readyState === OPEN) socket.send(PING_FRAME);
  }

  /**
   * No frame answered the ping: the connection died without closing. Its close handshake would
   * wait on the dead network too, so the client lets it go at once and reconnects as after a drop.
   */
  private unanswered(silentMs: number): void {
    const socket = this.socket;
    if (socket) this.abandon(socket, `The connection was silent for ${silentMs} ms, a ping included: taken for lost`);
  }

  /**
   * Gives up a socket the network left hanging (an upgrade never answered, a connection gone
   * silent) and tries again with backoff, saying why in `lastError`.
   */
  private abandon(socket: WebSocketLike, why: string): void {
    this.release(socket);
    // Node's `ws` can drop the socket at once; a close would wait on the dead network for its handshake.
    const { terminate } = socket as { terminate?: () => void };
    if (typeof terminate === 'function') terminate.call(socket);
    else socket.close(1000);
    this.error = new RealtimeError('DISCONNECTED', why, undefined, 'connection');
    this.retryLater();
  }

  /** The connection is no longer the client's: what was sent on it will get no answer, and nothing watches it. */
  private release(socket: WebSocketLike): void {
    this.socket = undefined;
    this.clearOpenTimer();
    this.heartbeat?.stop();
    this.replies.failSentOn(socket, connectionLostError);
  }

  private reopenAfter(delayMs: number): void {
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.open();
    }, delayMs);
  }

  /** Ends the connection and everything waiting on it, and stays so until `connect()`. */
  private stop(status: 'offline' | 'refused'): void {
    this.attempt += 1;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const socket = this.socket;
    if (socket) {
      this.release(socket);
      socket.close(1000);
    }
    this.replies.failAll(notConnectedError);
    this.outbox = [];
    this.statusStore.set(status);
  }

  private refresh(): Promise<void> {
    return refreshToken(this.options.getToken, (event, payload) => this.ask(event, payload, event), this.report);
  }

}

/** The frame for a message, or the error for a payload JSON cannot carry. */
function frameText(event: string, payload: unknown): string | RealtimeError {
  try {
    return JSON.stringify(payload === undefined ? { event } : { event, data: payload });
  } catch (cause) {
    return new RealtimeError('BAD_REQUEST', `The payload of "${event}" is not JSON: ${(cause as Error)?.message ?? cause}`, undefined, event);
  }
}

/** A frame of the protocol; anything else (binary, not JSON, no event) is none of ours. */
function parseFrame(raw: unknown): { event: string; data: unknown } | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const frame = JSON.parse(raw) as { event?: unknown; data?: unknown } | null;
    return typeof frame?.event === 'string' ? { event: frame.event, data: frame.data } : undefined;
  } catch {
    return undefined;
  }
}

/** `ws(s)://` from what the app gave: a `ws(s)` or `http(s)` URL, or (in a browser) a path of the page's origin. */
function webSocketUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url, (globalThis as { location?: { href: string } }).location?.href);
  } catch {
    // Reported below, with what was expected.
  }
  if (parsed?.protocol === 'http:' || parsed?.protocol === 'https:') parsed.protocol = parsed.protocol === 'http:' ? 'ws:' : 'wss:';
  if (parsed?.protocol !== 'ws:' && parsed?.protocol !== 'wss:') {
    throw new TypeError(`RealtimeWsClient: url must be a ws://, wss://, http:// or https:// URL (got "${url}")`);
  }
  return parsed.href;
}
