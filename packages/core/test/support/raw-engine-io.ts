import WebSocket from 'ws';

/** A Socket.IO packet as the server sent it (engine.io `message` packets only). */
export interface SioPacket {
  /** 0 CONNECT, 1 DISCONNECT, 2 EVENT, 3 ACK, 4 CONNECT_ERROR, 5 BINARY_EVENT, 6 BINARY_ACK */
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
  /** The frame as received. */
  raw: string;
}

/**
 * A WebSocket that speaks Engine.IO v4 and Socket.IO by hand, frame by frame, so a test can send
 * what no real client would: broken JSON, bad packet types, absurd attachment counts. It answers
 * the server's pings, records every frame it receives, and parses the Socket.IO ones.
 */
export class RawEngineIoClient {
  /** Every text or binary frame the server sent, in order. */
  readonly received: (string | Buffer)[] = [];
  readonly packets: SioPacket[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private isClosed = false;
  private listeners = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw, isBinary) => {
      const frame = isBinary ? Buffer.from(raw as Buffer) : raw.toString();
      this.received.push(frame);
      if (typeof frame === 'string') {
        if (frame === '2') this.sendQuietly('3'); // the heartbeat: a silent client would be dropped
        if (frame.startsWith('4')) {
          const packet = parseSioPacket(frame.slice(1));
          if (packet) this.packets.push(packet);
        }
      }
      this.notify();
    });
    socket.on('error', () => undefined); // a refused or reset connection shows as `closed`
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => {
        this.isClosed = true;
        this.notify();
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  /** Opens an Engine.IO WebSocket session and resolves once the server's open packet (`0{…}`) arrived. */
  static open(baseUrl: string, path = '/socket.io'): Promise<RawEngineIoClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}${path.replace(/\/$/, '')}/?EIO=4&transport=websocket`;
    const client = new RawEngineIoClient(new WebSocket(url));
    return new Promise((resolve, reject) => {
      client.socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
      client.socket.once('error', reject);
      void client.until(() => (typeof client.received[0] === 'string' && client.received[0].startsWith('0') ? true : undefined), 10_000).then(
        (opened) => (opened === 'closed' ? reject(new Error('closed before the open packet')) : resolve(client)),
        reject,
      );
    });
  }

  get isOpen(): boolean {
    return !this.isClosed && this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a frame as is; a Buffer goes as a binary frame unless `binary: false` (then: a text frame of raw bytes). */
  send(frame: string | Buffer, options: { binary?: boolean } = {}): void {
    if (!this.isOpen) return;
    this.socket.send(frame, { binary: options.binary ?? typeof frame !== 'string' });
  }

  /** Connects a namespace the way socket.io-client does (`40/nsp,{auth}`) and resolves with the server's answer. */
  async connectNamespace(nsp: string, auth: Record<string, unknown>): Promise<SioPacket | 'closed'> {
    const from = this.packets.length;
    this.send(`40${nsp === '/' ? '' : `${nsp},`}${JSON.stringify(auth)}`);
    return this.until(() => this.packets.slice(from).find((p) => p.nsp === nsp && (p.type === 0 || p.type === 4)), 10_000);
  }

  /**
   * Resolves with the first value `check` returns (re-checked on every frame), or `'closed'` once
   * the connection is gone; rejects after `deadlineMs`: the server neither answered nor hung up.
   */
  until<T>(check: () => T | undefined, deadlineMs: number): Promise<T | 'closed'> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value !== undefined) return done(() => resolve(value));
        if (this.isClosed) return done(() => resolve('closed'));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no answer and no close within ${deadlineMs} ms`))), deadlineMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(attempt);
        settle();
      };
      this.listeners.add(attempt);
      attempt();
    });
  }

  close(): void {
    this.socket.terminate();
  }

  private sendQuietly(frame: string): void {
    if (this.isOpen) this.socket.send(frame);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** Parses a Socket.IO packet the server encoded (`<type>[<attachments>-][<nsp>,][<id>][<json>]`); undefined if it is not one. */
export function parseSioPacket(text: string): SioPacket | undefined {
  const match = /^([0-6])(?:(\d+)-)?(\/[^,]*,)?(\d+)?([\s\S]*)$/.exec(text);
  if (!match) return undefined;
  const [, type, , nsp, id, json] = match;
  let data: unknown;
  if (json) {
    try {
      data = JSON.parse(json);
    } catch {
      return undefined;
    }
  }
  return {
    type: Number(type),
    nsp: nsp ? nsp.slice(0, -1) : '/',
    ...(id !== undefined ? { id: Number(id) } : {}),
    ...(json ? { data } : {}),
    raw: text,
  };
}
