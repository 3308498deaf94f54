import { createServer } from 'node:net';

/** A TCP port nobody listens on right now, e.g. for `@WebSocketGateway(port)` or a child process's `PORT`. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
