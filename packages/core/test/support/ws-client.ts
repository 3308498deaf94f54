import WebSocket from 'ws';

/** A frame of the native protocol. */
export interface Frame {
  event: string;
  data: unknown;
}

/** How the server answered an upgrade it refused: status and JSON body. */
export interface UpgradeRefusal {
  status: number;
  body: unknown;
  /** Whether a WebSocket was ever opened (it must not be). */
  opened: boolean;
}

export interface WsTestClientOptions {
  protocols?: string[];
  headers?: Record<string, string>;
  /** Whether the client answers the server's pings, as every browser does. @default true */
  autoPong?: boolean;
}

/** A `ws` client that records every frame it receives, to await them by event. */
export class WsTestClient {
  readonly frames: Frame[] = [];
  private waiters: { event: string; resolve: (frame: Frame) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as Frame;
      const waiter = this.waiters.find((w) => w.event === frame.event);
      if (waiter) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(frame);
      } else {
        this.frames.push(frame);
      }
    });
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /**
   * Opens a connection; rejects with the refusal when the server answers the upgrade with an error.
   * `autoPong: false` makes a peer that is gone without a TCP close: it never answers a ping.
   */
  static open(url: string, options: WsTestClientOptions = {}): Promise<WsTestClient> {
    const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers, autoPong: options.autoPong ?? true });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new WsTestClient(socket)));
      socket.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode, body: JSON.parse(body || 'null') })));
      });
      socket.once('error', reject);
    });
  }

  /** The server's answer to an upgrade that must be refused. */
  static async refusal(url: string, options: WsTestClientOptions = {}): Promise<UpgradeRefusal> {
    try {
      const client = await WsTestClient.open(url, options);
      client.close();
      return { status: 101, body: null, opened: true };
    } catch (error) {
      const { status, body } = error as { status?: number; body?: unknown };
      return { status: status ?? 0, body, opened: false };
    }
  }

  send(event: string, data?: unknown): void {
    this.socket.send(JSON.stringify({ event, data }));
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** The next frame of `event` (one that already arrived counts), or a rejection after `timeoutMs`. */
  next(event: string, timeoutMs = 3000): Promise<Frame> {
    const index = this.frames.findIndex((frame) => frame.event === event);
    if (index >= 0) return Promise.resolve(this.frames.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${event}" frame within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ event, resolve: (frame) => (clearTimeout(timer), resolve(frame)) });
    });
  }

  /** Sends `event` and awaits the frame of `replyEvent`. */
  async request(event: string, data: unknown, replyEvent = event): Promise<unknown> {
    const reply = this.next(replyEvent);
    this.send(event, data);
    return (await reply).data;
  }

  close(): void {
    this.socket.close();
  }
}
