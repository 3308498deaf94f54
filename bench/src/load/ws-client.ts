import WebSocket, { type RawData } from 'ws';
import { WS_PATH, type WsFrame } from '../targets/protocol.js';

/** The event a native gateway's error contract answers with instead of the reply. */
const EXCEPTION_EVENT = 'exception';

/** The `ws://` URL of a target's native gateway, from its HTTP base URL. */
export function wsUrl(url: string): string {
  return `${url.replace(/^http/, 'ws')}${WS_PATH}`;
}

/**
 * A native WebSocket client speaking `{ event, data }` frames. A server answers a connection's
 * frames in order, so the first pending request takes the next frame named like it (or the
 * `exception` frame sent in its place).
 */
export class WsClient {
  private readonly pending: { event: string; onReply(data: unknown): void }[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw: RawData) => this.receive(raw));
  }

  /** Opens a connection with the token (if any) as the `bearer` subprotocol; rejects with the server's refusal. */
  static connect(url: string, token: string | undefined, timeoutMs = 20_000): Promise<WsClient> {
    const socket = new WebSocket(wsUrl(url), token ? ['bearer', token] : []);
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.terminate();
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`connect to ${wsUrl(url)} timed out after ${timeoutMs} ms`)), timeoutMs);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve(new WsClient(socket));
      });
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => fail(new Error(`connect to ${wsUrl(url)} refused: HTTP ${response.statusCode} ${body}`)));
      });
      socket.once('error', (error) => fail(new Error(`connect to ${wsUrl(url)} failed: ${error.message}`)));
    });
  }

  get connected(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  request(event: string, data: unknown, onReply: (data: unknown) => void): void {
    this.pending.push({ event, onReply });
    this.socket.send(JSON.stringify({ event, data } satisfies WsFrame));
  }

  close(): void {
    this.socket.close();
  }

  private receive(raw: RawData): void {
    const frame = JSON.parse(raw.toString()) as WsFrame;
    const next = this.pending[0];
    if (!next || (frame.event !== next.event && frame.event !== EXCEPTION_EVENT)) return;
    this.pending.shift();
    next.onReply(frame.data);
  }
}
