import type { IncomingHttpHeaders } from 'node:http';
import type { HandshakeInfo } from '../options/auth-options.interface.js';
import { sendFrame, type NativeWsClient } from '../connection/client-transport.js';
import { RealtimeConnection, type AckCallback, type MessageHandler, type ConnectionTransport } from '../connection/realtime-connection.js';
import { EXCEPTION_EVENT } from '../protocol/index.js';

/** A native client as the `ws` package gives it. */
export type ServedWsClient = NativeWsClient & {
  on(event: 'message' | 'close' | 'pong', listener: (...args: never[]) => void): unknown;
  off(event: 'message' | 'close' | 'pong', listener: (...args: never[]) => void): unknown;
};

/** What the upgrade request told about the client, kept for `validate()` on `auth:refresh`. */
export interface WsHandshake {
  headers: IncomingHttpHeaders;
  query: Record<string, string>;
  address: string;
}

/**
 * A native WebSocket as a connection: the `{ event, data }` JSON framing of the one pipeline.
 * Handlers are called and answered as Nest's `WsAdapter` does: `(data, event)`, and the result
 * sent back as one JSON frame.
 */
export class WsConnection extends RealtimeConnection<ServedWsClient> {
  constructor(
    client: ServedWsClient,
    /** The gateway's path. */
    path: string,
    private readonly handshake: WsHandshake,
    private readonly hooks: { unbind(connection: WsConnection): void; forget(connection: WsConnection): void },
  ) {
    super(client, path);
  }

  get transport(): ConnectionTransport {
    return 'ws';
  }

  get id(): string {
    return this.client.id;
  }

  get open(): boolean {
    return this.client.readyState === OPEN;
  }

  emit(event: string, ...args: unknown[]): void {
    sendFrame(this.client, event, args.length === 1 ? args[0] : args);
    this.countSent?.('emit');
  }

  invoke(handler: MessageHandler, data: unknown): unknown {
    return handler.callback(data, handler.message);
  }

  reply(_handler: MessageHandler, response: unknown): void {
    this.client.send(JSON.stringify(response));
    this.countSent?.('ack');
  }

  disconnect(code: number, reason: string): void {
    this.client.close(code, reason);
  }

  handshakeInfo(): HandshakeInfo {
    return { headers: this.handshake.headers, address: this.handshake.address, namespace: this.scope, query: { ...this.handshake.query } };
  }

  /**
   * A native client has no ack: the answer to a library request (`auth:refresh`, `realtime:ping`)
   * is a frame named like the request, or `exception` for an error.
   */
  frameAnswer(event: string): AckCallback {
    return (reply) => this.emit((reply as { status?: unknown } | undefined)?.status === 'error' ? EXCEPTION_EVENT : event, reply);
  }

  protected unbind(): void {
    this.hooks.unbind(this);
  }

  protected override forget(): void {
    this.hooks.forget(this);
  }
}

/** `WebSocket.OPEN` */
const OPEN = 1;
