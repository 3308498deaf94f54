import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

/** One client connection through the proxy, and what became of it. */
interface Link {
  client: Socket;
  upstream?: Socket;
  /** Cut off by `silence()`: bytes are dropped both ways, and neither end learns of it. */
  silenced: boolean;
  /** Bytes the client sent before the proxy forwarded again (while held). */
  held: Buffer[];
}

/**
 * A TCP proxy in front of the test server that can make a network die the way it does in real
 * life: `silence()` keeps every open connection open and drops whatever either side sends (no
 * FIN, no RST: a laptop that slept, a NAT that forgot the mapping), and holds new connections
 * without answering, until `forward()`. Connections opened after `forward()` work again; the
 * silenced ones stay dead, as their network path is.
 */
export class TcpProxy {
  /** Chunks the client sent on a silenced connection (its pings among them), dropped. */
  droppedFromClient = 0;
  /** Chunks the client sent that reached the server. */
  forwardedFromClient = 0;
  /** Chunks the client sent on a connection opened while silent (its upgrade request), held until `forward()`. */
  heldFromClient = 0;
  private silent = false;
  private readonly links = new Set<Link>();
  private readonly server = createServer((client) => this.accept(client));
  private listeners = new Set<() => void>();

  private constructor(private readonly target: { host: string; port: number }) {}

  /** Listens on a free port of 127.0.0.1, forwarding to `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The network dies silently: open connections hear nothing more, new ones are held. */
  silence(): void {
    this.silent = true;
    for (const link of this.links) link.silenced = true;
  }

  /** The network is back: held connections go through, and so do new ones. */
  forward(): void {
    this.silent = false;
    for (const link of this.links) if (!link.upstream && !link.silenced) this.connectUpstream(link);
  }

  /** Resolves once `check()` holds, checked whenever the client sends a chunk; rejects after `timeoutMs`. */
  whenClientSent(check: () => boolean, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`the client did not send what was expected within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve();
      };
      this.listeners.add(listener);
      listener();
    });
  }

  async close(): Promise<void> {
    for (const link of this.links) {
      link.client.destroy();
      link.upstream?.destroy();
    }
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    const link: Link = { client, silenced: false, held: [] };
    this.links.add(link);
    client.on('data', (chunk: Buffer) => {
      if (link.silenced) this.droppedFromClient += 1;
      else if (link.upstream) {
        this.forwardedFromClient += 1;
        link.upstream.write(chunk);
      } else {
        this.heldFromClient += 1;
        link.held.push(chunk);
      }
      for (const listener of [...this.listeners]) listener();
    });
    client.on('error', () => undefined);
    client.on('close', () => {
      this.links.delete(link);
      // A silenced path carries no FIN either.
      if (!link.silenced) link.upstream?.end();
    });
    if (!this.silent) this.connectUpstream(link);
  }

  private connectUpstream(link: Link): void {
    const upstream = connect(this.target.port, this.target.host);
    link.upstream = upstream;
    upstream.on('data', (chunk: Buffer) => {
      if (!link.silenced) link.client.write(chunk);
    });
    upstream.on('error', () => undefined);
    upstream.on('close', () => {
      if (!link.silenced) link.client.end();
    });
    for (const chunk of link.held.splice(0)) {
      this.forwardedFromClient += 1;
      upstream.write(chunk);
    }
  }
}
