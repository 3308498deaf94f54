import { JwtService } from '@nestjs/jwt';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import msgpackParser from 'socket.io-msgpack-parser';
import type { Transport } from '../targets/targets.js';

/** How a generator's clients connect; the same for every load pattern. */
export interface ClientOptions {
  /** Socket.IO (every pattern) or native WebSocket frames (patterns built on `RequestClient`). @default 'socket.io' */
  transport?: Transport;
  /** Socket.IO's parser (Socket.IO only). */
  parser: 'json' | 'msgpack';
  /** Sign a token per user with this secret (target (c)); none for unauthenticated targets. */
  secret?: string;
}

/** Tokens for users `u0…u(n-1)`, signed once up front so signing never counts as load. */
export class TokenPool {
  private readonly tokens: string[] = [];

  constructor(secret: string | undefined, users: number, prefix = 'u') {
    if (!secret) return;
    const jwt = new JwtService({ secret });
    for (let i = 0; i < users; i++) {
      this.tokens.push(jwt.sign({ sub: `${prefix}${i}`, name: `User ${i}` }, { expiresIn: '2h' }));
    }
  }

  /** The token of user i (modulo the pool), or undefined without a secret. */
  get(i: number): string | undefined {
    return this.tokens.length ? this.tokens[i % this.tokens.length] : undefined;
  }
}

/** socket.io-client options: WebSocket only, no reconnection, one Manager per socket. */
export function clientOptions(options: ClientOptions, token?: string): Partial<ManagerOptions & SocketOptions> {
  return {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 20_000,
    ...(options.parser === 'msgpack' ? { parser: msgpackParser } : {}),
    ...(token ? { auth: { token } } : {}),
  };
}

/** Opens one client and resolves when it is connected; rejects with the server's refusal. */
export function connectOne(url: string, options: ClientOptions, token?: string, timeoutMs = 20_000): Promise<Socket> {
  if (options.transport === 'ws') return Promise.reject(new Error('This load pattern speaks Socket.IO only (see RequestClient for both transports)'));
  const socket = io(url, clientOptions(options, token));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`connect to ${url} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(`connect to ${url} refused: ${error.message} ${JSON.stringify(error.data ?? '')}`));
    });
  });
}

/** Connects `count` clients, `concurrency` at a time; client i uses url i mod urls and user i's token. */
export function connectMany(
  urls: string[],
  count: number,
  options: ClientOptions,
  tokens: TokenPool,
  concurrency = 32,
): Promise<Socket[]> {
  return openPool(count, concurrency, (i) => connectOne(urls[i % urls.length]!, options, tokens.get(i)), (socket) => socket.close());
}

/** Opens `count` connections with `open(i)`, `concurrency` at a time; if one fails, closes the others and rejects. */
export async function openPool<T>(count: number, concurrency: number, open: (i: number) => Promise<T>, close: (connection: T) => void): Promise<T[]> {
  const connections: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      connections[i] = await open(i);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  } catch (error) {
    for (const connection of connections) if (connection !== undefined) close(connection);
    throw error;
  }
  return connections;
}

/** Emits with an ack and resolves with the ack's payload. */
export function request<T = unknown>(socket: Socket, event: string, data: unknown, timeoutMs = 20_000): Promise<T> {
  return socket.timeout(timeoutMs).emitWithAck(event, data) as Promise<T>;
}

export function closeAll(clients: Iterable<{ close(): unknown } | undefined>): void {
  for (const client of clients) client?.close();
}
