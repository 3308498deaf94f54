import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Subscription } from 'rxjs';
import type { HandshakeInfo, RealtimeUser } from '../options/auth-options.interface.js';
import { authStateOf, userOf, type SocketAuthState, type SocketWithData } from './identity.js';

/** The transport a connection came through: Socket.IO, or a native WebSocket. */
export type ConnectionTransport = 'socket.io' | 'ws';

/** A gateway's handler for one event, as Nest wired it (guards, pipes, interceptors and filters included). */
export type MessageHandler = MessageMappingProperties;

/** A connection's message budget (see `RealtimeRateLimiting`): how long to wait before the next message is allowed. */
export interface MessageBudget {
  admit(event: string | undefined, userId: string | undefined): number | Promise<number>;
  readonly mustDisconnect: boolean;
}

/**
 * Everything the library tracks for one connection — a Socket.IO namespace socket or a native
 * WebSocket — and its one teardown. The identity stays where the docs promise it
 * (`client.data.user`, `client.data.auth`); the rest lives here, not in `socket.data`, module
 * WeakMaps or one disconnect listener per feature.
 *
 * A transport supplies only the framing: how to send an event, answer a handler, call a handler
 * and close the connection (`SocketIoConnection`, `WsConnection`).
 *
 * `close()` runs once, when the client is gone, before the gateways' `handleDisconnect`, in
 * this order:
 * 1. streams of Observable results stop (nothing more is sent, as Nest's `takeUntil(disconnect)`);
 * 2. the message listeners are removed (Nest unsubscribes every handler);
 * 3. the token timers stop;
 * 4. the user's connection slot is freed (`limits.maxConnectionsPerUser`), and the connection
 *    leaves the `realtime.connections` metric;
 * 5. the connection leaves its presence rooms, which tells the rooms;
 * 6. the transport forgets the client (native clients by user);
 * 7. the gateways' `handleDisconnect` hooks run (`afterClose`).
 */
export abstract class RealtimeConnection<Client extends SocketWithData = SocketWithData> {
  /** The handlers of every gateway serving this connection's namespace (or path). */
  handlers: readonly MessageHandler[] = [];
  /** Made at the first message; `null` when nothing is limited. */
  budget?: MessageBudget | null;
  /** The pending `auth:expiring` / `auth:expired` timer. */
  tokenTimer?: NodeJS.Timeout;
  /** Presence rooms joined on this connection, and how to leave them. */
  presence?: { rooms: Set<string>; leaveAll(rooms: Set<string>): void };
  /** Frees the user's slot under `limits.maxConnectionsPerUser`. */
  releaseSlot?: () => void;
  /** Takes the connection out of the `realtime.connections` metric (set only when observability is on). */
  uncount?: () => void;
  /** Counts a message sent, on a native connection while observability is on (Socket.IO sockets are counted by packet). */
  countSent?: (kind: 'ack' | 'emit') => void;
  private streams?: Set<Subscription>;
  /** The gateways' `handleDisconnect`, as Nest bound them (see `afterClose`). */
  private disconnectCallbacks?: ((...args: unknown[]) => unknown)[];
  private closed = false;

  constructor(
    readonly client: Client,
    /** The namespace, or a native gateway's path: where `@RateLimit()` budgets and `public` gateways are looked up. */
    readonly scope: string,
  ) {}

  abstract readonly id: string;
  /** Which transport serves it (a getter: nothing more to keep per connection). */
  abstract get transport(): ConnectionTransport;
  /** Whether the client can still receive. */
  abstract get open(): boolean;
  /** Sends an event (a native client gets the `{ event, data }` frame). */
  abstract emit(event: string, ...args: unknown[]): void;
  /** Calls a handler with the arguments its transport's adapter in Nest would. */
  abstract invoke(handler: MessageHandler, data: unknown, ack: AckCallback | undefined): unknown;
  /** Answers with a handler's result (or one item of its stream); throws when it cannot be encoded. */
  abstract reply(handler: MessageHandler, response: unknown, ack: AckCallback | undefined): void;
  /**
   * Closes the connection from the server's side: a native client gets `code` and `reason`; a
   * Socket.IO namespace socket is disconnected alone, except for a flood (`WS_CLOSE_RATE_LIMITED`),
   * which closes its whole connection (see `disconnectClient`).
   */
  abstract disconnect(code: number, reason: string): void;
  /** What `auth.validate()` is shown of the handshake. */
  abstract handshakeInfo(): HandshakeInfo;
  /** Removes the message listeners the transport installed (teardown step 2). */
  protected abstract unbind(): void;
  /** Forgets the client in the transport's registries (teardown step 6). */
  protected forget(): void {}

  /** Adds a gateway's handlers (Nest binds each gateway of a namespace separately). */
  addHandlers(handlers: readonly MessageHandler[]): void {
    this.handlers = this.handlers.length === 0 ? handlers : [...this.handlers, ...handlers];
  }

  get user(): RealtimeUser | undefined {
    return userOf(this.client);
  }

  get authState(): SocketAuthState | undefined {
    return authStateOf(this.client);
  }

  /** Keeps a stream until it ends or the connection closes. */
  track(subscription: Subscription): void {
    if (this.closed) return void subscription.unsubscribe();
    (this.streams ??= new Set()).add(subscription);
  }

  untrack(subscription: Subscription): void {
    this.streams?.delete(subscription);
  }

  /**
   * Runs `callback` with the transport's disconnect arguments once the teardown is done: how
   * adapters bind Nest's disconnect hooks, so the connection needs one disconnect listener, not one
   * per gateway. Nothing runs for a connection that closed before it was bound, as with Nest's
   * adapters, whose listener would come too late.
   */
  afterClose(callback: (...args: unknown[]) => unknown): void {
    // Exact-size arrays: a push onto [] reserves room for 17, kept by every idle connection.
    if (!this.closed) this.disconnectCallbacks = this.disconnectCallbacks ? [...this.disconnectCallbacks, callback] : [callback];
  }

  /** The one teardown (see the class comment for its order), then the gateways' disconnect hooks. Never throws: it runs in a disconnect listener. */
  close(onError: (what: string, error: unknown) => void, ...disconnectArgs: unknown[]): void {
    if (this.closed) return;
    this.closed = true;
    const step = (what: string, run: () => void) => {
      try {
        run();
      } catch (error) {
        onError(what, error);
      }
    };
    for (const subscription of this.streams ?? []) step("A stream's teardown", () => subscription.unsubscribe());
    this.streams = undefined;
    step('Removing message listeners', () => this.unbind());
    clearTimeout(this.tokenTimer);
    this.tokenTimer = undefined;
    if (this.releaseSlot) step('Freeing the connection slot', this.releaseSlot);
    if (this.uncount) step('Counting the connection out', this.uncount);
    const presence = this.presence;
    if (presence && presence.rooms.size > 0) step('Leaving presence rooms', () => presence.leaveAll(presence.rooms));
    step('Forgetting the client', () => this.forget());
    for (const callback of this.disconnectCallbacks ?? []) step('handleDisconnect', () => callback(...disconnectArgs));
    this.disconnectCallbacks = undefined;
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/** A client's ack callback. */
export type AckCallback = (...args: unknown[]) => void;
