import { connectOne, openPool, type ClientOptions, type TokenPool } from './clients.js';
import { WsClient } from './ws-client.js';

/**
 * A connection that sends a request and gets one reply, over either transport: a Socket.IO emit
 * with an ack, or a native WebSocket frame answered by a frame. The echo and idle patterns use
 * it, so the same load measures both.
 */
export interface RequestClient {
  readonly connected: boolean;
  /** `onReply` gets the ack's payload, or the reply frame's `data` (an error payload when the server refused). */
  request(event: string, data: unknown, onReply: (response: unknown) => void): void;
  close(): void;
}

/** Opens one client of the target's transport; rejects with the server's refusal. */
export async function connectClient(url: string, options: ClientOptions, token?: string): Promise<RequestClient> {
  if (options.transport === 'ws') return WsClient.connect(url, token);
  const socket = await connectOne(url, options, token);
  return {
    get connected() {
      return socket.connected;
    },
    request: (event, data, onReply) => void socket.emit(event, data, onReply),
    close: () => void socket.close(),
  };
}

/** Connects `count` clients, `concurrency` at a time; client i uses url i mod urls and user i's token. */
export function connectClients(urls: string[], count: number, options: ClientOptions, tokens: TokenPool, concurrency = 32): Promise<RequestClient[]> {
  return openPool(count, concurrency, (i) => connectClient(urls[i % urls.length]!, options, tokens.get(i)), (client) => client.close());
}
