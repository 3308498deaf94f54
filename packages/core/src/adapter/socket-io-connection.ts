import type { WsResponse } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import type { HandshakeInfo } from '../options/auth-options.interface.js';
import { disconnectClient } from '../connection/client-transport.js';
import { RealtimeConnection, type AckCallback, type MessageHandler, type ConnectionTransport } from '../connection/realtime-connection.js';

/**
 * A Socket.IO namespace socket as a connection: Socket.IO's framing of the one pipeline. Handlers
 * are called and answered as Nest's `IoAdapter` does: `(data, ack)`, the result to the ack unless
 * the handler takes `@Ack()`, or emitted when it is `{ event, data }`.
 */
export class SocketIoConnection extends RealtimeConnection<Socket> {
  constructor(
    socket: Socket,
    /** Removes the listeners the adapter installed (they are shared functions, one per event name). */
    private readonly unbindListeners: (socket: Socket, connection: SocketIoConnection) => void,
  ) {
    super(socket, socket.nsp.name);
  }

  get transport(): ConnectionTransport {
    return 'socket.io';
  }

  get id(): string {
    return this.client.id;
  }

  get open(): boolean {
    return this.client.connected;
  }

  emit(event: string, ...args: unknown[]): void {
    this.client.emit(event, ...args);
  }

  invoke(handler: MessageHandler, data: unknown, ack: AckCallback | undefined): unknown {
    return handler.callback(data, ack);
  }

  reply(handler: MessageHandler, response: unknown, ack: AckCallback | undefined): void {
    const { event, data } = response as Partial<WsResponse>;
    if (event) this.client.emit(event, data);
    else if (ack && handler.isAckHandledManually !== true) ack(response);
  }

  disconnect(code: number, reason: string): void {
    disconnectClient(this.client, code, reason);
  }

  handshakeInfo(): HandshakeInfo {
    return socketHandshakeInfo(this.client);
  }

  protected unbind(): void {
    this.unbindListeners(this.client, this);
  }
}

/** What `validate()` may see of a socket's handshake. */
export function socketHandshakeInfo(socket: Socket): HandshakeInfo {
  return {
    headers: socket.handshake.headers,
    address: socket.handshake.address,
    namespace: socket.nsp.name,
    query: { ...socket.handshake.query },
  };
}
