import { io, type Socket } from 'socket.io-client';
import { ConnectRefusedError } from '../../src/testing/index.js';

/** One event the Admin UI client received. */
export interface AdminUiEvent {
  event: string;
  args: unknown[];
}

/** What the Admin UI sends about one socket (`all_sockets` entries, `socket_connected`). */
export interface SerializedSocket {
  id: string;
  nsp: string;
  data: { user?: { id?: unknown } } & Record<string, unknown>;
  handshake: Record<string, unknown>;
  rooms: string[];
}

interface Waiter {
  matches: (received: AdminUiEvent) => boolean;
  resolve: (received: AdminUiEvent) => void;
}

/**
 * A socket.io-client on the Admin UI namespace, as the hosted UI opens it, that records every event
 * from its first packet on: Admin UI sends `session`, `config` and `all_sockets` in the same breath
 * as the connection, before a listener added after `connect` could see them.
 */
export class AdminUiClient {
  readonly events: AdminUiEvent[] = [];
  private waiters: Waiter[] = [];

  private constructor(readonly socket: Socket) {
    socket.onAny((event: string, ...args: unknown[]) => {
      const received = { event, args };
      this.events.push(received);
      for (const waiter of this.waiters.filter((w) => w.matches(received))) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(received);
      }
    });
  }

  /** Connects to `<url>/admin`; rejects with `ConnectRefusedError` when the server refuses. */
  static connect(url: string, options: { auth?: Record<string, unknown>; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<AdminUiClient> {
    const socket = io(`${url}/admin`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: options.auth ?? {},
      extraHeaders: options.headers,
    });
    const client = new AdminUiClient(socket);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.close();
        reject(new Error(`Admin UI client did not connect within ${options.timeoutMs ?? 5000} ms`));
      }, options.timeoutMs ?? 5000);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(client);
      });
      socket.once('connect_error', (err: Error & { data?: unknown }) => {
        clearTimeout(timer);
        socket.close();
        reject(new ConnectRefusedError(err.message, err.data));
      });
    });
  }

  /** The arguments of the first event of that name (already received or to come) that `matches` accepts. */
  next(event: string, matches: (...args: unknown[]) => boolean = () => true, timeoutMs = 5000): Promise<unknown[]> {
    const accepts = (received: AdminUiEvent) => received.event === event && matches(...received.args);
    const already = this.events.find(accepts);
    if (already) return Promise.resolve(already.args);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        matches: accepts,
        resolve: (received) => {
          clearTimeout(timer);
          resolve(received.args);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`No matching "${event}" from Admin UI within ${timeoutMs} ms (got: ${this.events.map((e) => e.event).join(', ')})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The `socket_connected` announcement of the socket with this id. */
  async connected(socketId: string | undefined, timeoutMs?: number): Promise<SerializedSocket> {
    const [socket] = await this.next('socket_connected', (s) => (s as SerializedSocket).id === socketId, timeoutMs);
    return socket as SerializedSocket;
  }

  /** The sockets Admin UI listed on connecting (development mode). */
  async allSockets(timeoutMs?: number): Promise<SerializedSocket[]> {
    const [sockets] = await this.next('all_sockets', () => true, timeoutMs);
    return sockets as SerializedSocket[];
  }

  close(): void {
    this.socket.close();
  }
}
