import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { jittered } from './backoff.js';
import { sleep, systemClock } from './clock.js';
import { ConnectionState } from './connection-state.js';
import type { AnsweredRequestName, ListenedEvents, PayloadArgs, RealtimeContract, RequestName, RequestPayload, RequestResult, UntypedContract } from './contract.js';
import {
  AUTH_EXPIRED,
  AUTH_EXPIRING,
  EXCEPTION,
  PRESENCE_JOIN,
  PRESENCE_LEAVE,
  PRESENCE_DIFF,
  PRESENCE_UPDATE,
  REALTIME_DISCONNECTED,
  ROOM_MESSAGE,
  SERVER_DRAINING,
  type ProtocolEvents,
  type RealtimeErrorPayload,
} from './protocol.js';
import {
  fromConnectError,
  fromPayload,
  isErrorPayload,
  notConnectedError,
  serverDisconnectError,
  connectionLostError,
  timeoutError,
  RealtimeError,
} from './realtime-error.js';
import { RealtimeRoom, type RoomMessage, type RoomOptions, type RoomTransport } from './realtime-room.js';
import { retryRateLimited } from './request-retry.js';
import { MAX_EXPIRED_RETRIES, readToken, refreshToken, type TokenProvider } from './token-provider.js';

/** Options of `new RealtimeClient(options)`. */
export interface RealtimeClientOptions {
  /**
   * The server's URL.
   * @default the page's own origin (in a browser)
   */
  url?: string;
  /**
   * The gateway's namespace, e.g. `'/chat'`.
   * @default '/'
   */
  namespace?: string;
  /**
   * The token, asked for at connect, at every reconnect, on `auth:expiring` (the client then
   * refreshes the live connection by itself) and after an `expired_token` refusal.
   * @default no token (public namespaces)
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
  /** Any other socket.io-client option (`path`, `transports`, `parser`, …). */
  socket?: Partial<ManagerOptions & SocketOptions>;
  /**
   * Where a reconnect after `server:draining` falls in the server's suggested delay (0 to 1:
   * half to one and a half times the delay), so a deploy does not move every client at once.
   * @default Math.random
   */
  random?: () => number;
}

type Listened<C> = ListenedEvents<C, ProtocolEvents>;

// socket.io-client's message for an ack that did not come in time.
const TIMED_OUT = 'operation has timed out';

/**
 * The client of `@nestjs-realtime/core`: one namespace of one server, typed by the namespace's
 * contract (see `RealtimeContract`). It speaks the protocol so the application does not: tokens
 * at every (re)connect and refreshed before they expire, rooms joined again after a reconnect,
 * presence, the error contract as `RealtimeError`, and a calm move off a draining server.
 *
 * ```ts
 * const chat = new RealtimeClient<ChatContract>({ url, namespace: '/chat', getToken: () => auth.token() });
 * const { at } = await chat.request('message', { text: 'hello' });
 * chat.on('message', ({ from, text }) => render(from, text));
 * ```
 */
export class RealtimeClient<C extends RealtimeContract = UntypedContract> extends ConnectionState {
  /** The socket.io-client socket underneath, for what this client does not cover. */
  readonly socket: Socket;
  private readonly rooms = new Map<string, RealtimeRoom<any>>();
  private readonly requestTimeoutMs: number;
  private readonly rateLimitRetries: number;
  private readonly random: () => number;
  private everConnected = false;
  private expiredRetries = 0;
  /** Why the server is about to disconnect us: decides whether to come back. */
  private serverIntent?: 'expired' | 'kicked' | 'draining';
  private drainTimer?: ReturnType<typeof setTimeout>;
  /** Fails each request still waiting for its answer. */
  private readonly waiting = new Set<() => void>();

  constructor(private readonly options: RealtimeClientOptions = {}) {
    super(options.autoConnect === false ? 'offline' : 'connecting');
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.rateLimitRetries = options.rateLimitRetries ?? 0;
    this.random = options.random ?? Math.random;
    const namespace = options.namespace ?? '/';
    const target = `${options.url ?? ''}${namespace.startsWith('/') ? namespace : `/${namespace}`}`;
    this.socket = io(target, {
      ...options.socket,
      autoConnect: false,
      // A function: every (re)connect asks for the token afresh.
      auth: (send) => void this.token().then((token) => send(token ? { token } : {})),
    });
    this.listen();
    if (options.autoConnect !== false) this.connect();
  }

  /** Opens the connection (again, after `close()`, a refusal or a disconnect by the server). */
  connect(): void {
    clearTimeout(this.drainTimer);
    this.serverIntent = undefined;
    this.expiredRetries = 0;
    this.statusStore.set(this.everConnected ? 'reconnecting' : 'connecting');
    this.socket.connect();
  }

  /** Closes the connection; `connect()` opens it again, with its rooms. */
  close(): void {
    clearTimeout(this.drainTimer);
    this.serverIntent = undefined;
    this.socket.disconnect();
    // What was waiting for a connection is not sent by a later connect(), and its requests fail now.
    this.socket.sendBuffer = [];
    for (const abandon of [...this.waiting]) abandon();
    this.statusStore.set('offline');
  }

  /**
   * Sends a request and resolves with the handler's result; rejects with a `RealtimeError`: the
   * server's refusal, `TIMEOUT`, or `DISCONNECTED`.
   */
  request<E extends AnsweredRequestName<C>>(event: E, ...[payload]: PayloadArgs<RequestPayload<C, E>>): Promise<RequestResult<C, E>> {
    return this.call(event, payload) as Promise<RequestResult<C, E>>;
  }

  /** Sends a message without waiting for an answer; a refusal arrives through `onError`. */
  emit<E extends RequestName<C>>(event: E, ...[payload]: PayloadArgs<RequestPayload<C, E>>): void {
    // Socket.IO would hold it and send it at the next connect, long after it was meant.
    if (this.isClosed()) return this.report(notConnectedError(event));
    if (payload === undefined) this.socket.emit(event);
    else this.socket.emit(event, payload);
  }

  /** Listens to an event of the contract, or of the protocol; returns the removal. */
  on<E extends keyof Listened<C> & string>(event: E, listener: (payload: Listened<C>[E]) => void): () => void {
    const handler = (payload: Listened<C>[E]) => listener(payload);
    this.socket.on(event, handler as never);
    return () => void this.socket.off(event, handler as never);
  }

  /**
   * Joins a room of a `RoomsGateway` (again after every reconnect, with the same `meta`) and
   * keeps its presence. Asking for a room already joined returns the same room (with its first
   * `meta` and `options`).
   */
  room<M = unknown>(name: string, meta?: Record<string, unknown>, options?: RoomOptions): RealtimeRoom<M> {
    let room = this.rooms.get(name);
    if (!room) {
      room = new RealtimeRoom(name, meta, this.roomTransport, options);
      this.rooms.set(name, room);
      if (this.socket.connected) void room.join();
    }
    return room as RealtimeRoom<M>;
  }

  private readonly roomTransport: RoomTransport = {
    call: (event, payload) => this.call(event, payload),
    forget: (room) => {
      if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
    },
    report: this.report,
  };

  private call(event: string, payload: unknown): Promise<unknown> {
    return retryRateLimited(() => this.ask(event, payload), this.rateLimitRetries, (ms) => sleep(systemClock, ms));
  }

  /** One request: the ack's result, or the error contract it carries as a `RealtimeError`. */
  private async ask(event: string, payload: unknown): Promise<unknown> {
    // While connecting or reconnecting a request waits for the connection (up to its timeout).
    if (this.isClosed()) throw notConnectedError(event);
    const socket = this.socket.timeout(this.requestTimeoutMs);
    // socket.io-client only fails acks it has sent: one still waiting for the connection is failed by close().
    let abandon!: () => void;
    const abandoned = new Promise<never>((_, reject) => (abandon = () => reject(connectionLostError(event))));
    this.waiting.add(abandon);
    let reply: unknown;
    try {
      reply = await Promise.race([payload === undefined ? socket.emitWithAck(event) : socket.emitWithAck(event, payload), abandoned]);
    } catch (cause) {
      if (cause instanceof RealtimeError) throw cause;
      // socket.io-client fails a pending ack with its own error when the connection drops.
      throw (cause as Error)?.message === TIMED_OUT ? timeoutError(event, this.requestTimeoutMs) : connectionLostError(event);
    } finally {
      this.waiting.delete(abandon);
    }
    if (isErrorPayload(reply)) throw fromPayload(reply);
    return reply;
  }

  private token(): Promise<string | undefined> {
    return readToken(this.options.getToken, (error) => this.report(error));
  }

  private listen(): void {
    const socket = this.socket;
    socket.on('connect', () => {
      this.everConnected = true;
      this.expiredRetries = 0;
      this.error = undefined;
      this.statusStore.set('connected');
      // Socket.IO forgets rooms with the connection: every room is joined on each connect.
      for (const room of this.rooms.values()) void room.join();
    });
    socket.on('connect_error', (cause) => this.refused(fromConnectError(cause)));
    socket.on('disconnect', (reason) => this.disconnected(reason));
    socket.on(AUTH_EXPIRING, () => void this.refresh());
    socket.on(AUTH_EXPIRED, () => (this.serverIntent = 'expired'));
    socket.on(REALTIME_DISCONNECTED, ({ reason }: ProtocolEvents[typeof REALTIME_DISCONNECTED]) => {
      this.serverIntent = 'kicked';
      this.error = serverDisconnectError(reason);
    });
    socket.on(SERVER_DRAINING, ({ reconnectDelayMs }: ProtocolEvents[typeof SERVER_DRAINING]) => this.moveOff(reconnectDelayMs ?? 1000));
    socket.on(EXCEPTION, (payload: RealtimeErrorPayload) => this.report(fromPayload(payload)));
    const toRoom = (kind: 'join' | 'update' | 'leave') => ({ room, user }: ProtocolEvents[typeof PRESENCE_JOIN]) =>
      this.rooms.get(room)?.receive(kind, user);
    socket.on(PRESENCE_JOIN, toRoom('join'));
    socket.on(PRESENCE_UPDATE, toRoom('update'));
    socket.on(PRESENCE_LEAVE, toRoom('leave'));
    // presence:state is not needed: the join's answer, right after it, carries the same page.
    socket.on(PRESENCE_DIFF, (diff: ProtocolEvents[typeof PRESENCE_DIFF]) => this.rooms.get(diff.room)?.receiveDiff(diff));
    socket.on(ROOM_MESSAGE, (message: RoomMessage) => this.rooms.get(message.room)?.deliver(message));
  }

  private refused(error: RealtimeError): void {
    this.error = error;
    // A token that expired between the provider and the server: one more try with a fresh one.
    if (error.reason === 'expired_token' && this.expiredRetries < MAX_EXPIRED_RETRIES) {
      this.expiredRetries += 1;
      this.socket.connect();
      return;
    }
    // Socket.IO retries transport failures by itself; a refusal by the server stays refused (no storm).
    if (this.socket.active) this.statusStore.set(this.everConnected ? 'reconnecting' : 'connecting');
    else this.statusStore.set('refused');
  }

  private disconnected(reason: Socket.DisconnectReason): void {
    const intent = this.serverIntent;
    this.serverIntent = undefined;
    if (intent === 'draining') return this.statusStore.set('reconnecting');
    if (reason === 'io client disconnect') return this.statusStore.set('offline');
    if (reason === 'io server disconnect') {
      if (intent === 'expired') {
        // Back with a new token: the provider is asked again.
        this.statusStore.set('reconnecting');
        this.socket.connect();
        return;
      }
      this.error ??= serverDisconnectError();
      return this.statusStore.set('offline');
    }
    this.statusStore.set('reconnecting');
  }

  /** `server:draining`: leave now and come back after the server's delay, with jitter. */
  private moveOff(delayMs: number): void {
    this.serverIntent = 'draining';
    this.socket.disconnect();
    this.drainTimer = setTimeout(() => {
      this.serverIntent = undefined;
      this.socket.connect();
    }, jittered(delayMs, this.random));
  }

  private refresh(): Promise<void> {
    return refreshToken(this.options.getToken, (event, payload) => this.ask(event, payload), (error) => this.report(error));
  }
}
