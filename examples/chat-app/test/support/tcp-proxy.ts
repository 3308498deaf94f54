import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * One port in front of several instances of the app, as a load balancer: each new TCP connection
 * goes to the current backend; `routeTo()` sends the next ones elsewhere and leaves the open ones
 * where they are, so that moving the clients is the draining instance's job.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly open = new Set<Socket>();

  private constructor(private backend: number) {
    this.server = createServer((client) => {
      const upstream = connect(this.backend, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.open.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.open.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  /** A proxy on a free port of 127.0.0.1, forwarding to `backend`. */
  static async start(backend: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(backend);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** New connections go to `backend` from now on. */
  routeTo(backend: number): void {
    this.backend = backend;
  }

  stop(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
