import { EventEmitter } from 'node:events';
import { type LiveSocket } from '../auth/token-lifetime.js';
import { emitToClient, type NativeWsClient } from '../connection/client-transport.js';
import type { UpgradeHandshake } from './upgrade-auth.js';
import { AUTH_EXPIRED_EVENT, EXCEPTION_EVENT, WS_CLOSE_AUTH_EXPIRED } from '../protocol/index.js';

/** A native client as the `ws` package gives it: closing is an event. */
export type ServedWsClient = NativeWsClient & {
  once(event: 'close', listener: () => void): unknown;
};

/**
 * A native WebSocket client seen through the shape of a Socket.IO socket, so the token lifetime
 * flow serves both transports: reserved events (`auth:refresh`) arrive through `receive()`, and
 * an answer goes back as a frame named like the request, or as `exception` for an error.
 */
export class WsConnection implements LiveSocket {
  private readonly incoming = new EventEmitter();
  readonly nsp: { readonly name: string };

  constructor(
    /** The client itself: what rate limits are kept for and refusals are sent to. */
    readonly client: ServedWsClient,
    readonly handshake: UpgradeHandshake,
    path: string,
  ) {
    this.nsp = { name: path };
  }

  get id(): string {
    return this.client.id;
  }

  get data(): Record<string, unknown> {
    return this.client.data;
  }

  set data(data: Record<string, unknown>) {
    this.client.data = data;
  }

  emit(event: string, ...args: unknown[]): boolean {
    emitToClient(this.client, event, ...args);
    return true;
  }

  on(event: string, listener: (...args: never[]) => void): this {
    this.incoming.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  once(_event: 'disconnect', listener: () => void): this {
    this.client.once('close', listener);
    return this;
  }

  /** Only the lifetime flow disconnects through here, once the token has expired. */
  disconnect(): this {
    this.client.close(WS_CLOSE_AUTH_EXPIRED, AUTH_EXPIRED_EVENT);
    return this;
  }

  /** Hands a reserved event to its listener; false when nothing here listens to it. */
  receive(event: string, data: unknown): boolean {
    if (this.incoming.listenerCount(event) === 0) return false;
    const answer = (reply: { status?: unknown }) => this.emit(reply?.status === 'error' ? EXCEPTION_EVENT : event, reply);
    this.incoming.emit(event, data, answer);
    return true;
  }
}
