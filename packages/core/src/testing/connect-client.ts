import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { namespaceName } from '../protocol/index.js';

/** Options of `connect()`: the namespace plus any `socket.io-client` option. */
export interface ConnectOptions extends Partial<ManagerOptions & SocketOptions> {
  /**
   * The namespace to join, e.g. `'chat'` or `'/chat'`.
   * @default '/'
   */
  namespace?: string;
  /**
   * How long to wait for the connection before rejecting, in milliseconds.
   * @default 5000
   */
  timeoutMs?: number;
}

/** Thrown by `connect()` when the server refuses the connection; carries the server's `data`. */
export class ConnectRefusedError extends Error {
  constructor(
    message: string,
    /** `err.data` from Socket.IO's `connect_error`, e.g. `{ code, reason }`. */
    readonly data: unknown,
  ) {
    super(message);
    this.name = 'ConnectRefusedError';
  }
}

/**
 * Opens a `socket.io-client` connection to `baseUrl` and resolves once it is connected.
 * Rejects with `ConnectRefusedError` on `connect_error`; never reconnects on its own.
 */
export function connectClient(baseUrl: string, options: ConnectOptions = {}): Promise<Socket> {
  const { namespace = '/', timeoutMs = 5000, ...clientOptions } = options;
  const socket = io(`${baseUrl}${namespaceName(namespace)}`, {
    reconnection: false,
    forceNew: true,
    transports: ['websocket'],
    ...clientOptions,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`connect() to ${baseUrl} namespace "${namespace}" timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      clearTimeout(timer);
      socket.close();
      reject(new ConnectRefusedError(err.message, err.data));
    });
  });
}

/** Resolves with the first payload of `event` on `socket`, or rejects after `timeoutMs`. */
export function waitForEvent<T = unknown>(socket: Socket, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, onEvent);
      reject(new Error(`No "${event}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    function onEvent(payload: T) {
      clearTimeout(timer);
      resolve(payload);
    }
    socket.once(event, onEvent);
  });
}
