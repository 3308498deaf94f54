import { connect, createServer, type Server, type Socket } from 'node:net';

/** A minimal load balancer: forwards TCP to one backend port, and can move everyone to another. */
export class TcpProxy {
  private readonly server: Server;
  private readonly open = new Set<Socket>();
  port = 0;

  constructor(private target: number) {
    this.server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
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

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** New connections go to `port`; current ones are cut, as when a backend dies. */
  switchTo(port: number): void {
    this.target = port;
    for (const socket of this.open) socket.destroy();
  }

  stop(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
