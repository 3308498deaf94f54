/**
 * Target (a) of the native WebSocket rows: the `ws` package alone, no Nest: the floor the native
 * gateways are compared to. One hand-written `message` listener speaks the same frames (see
 * `WS_PATH` in protocol.ts).
 */
import { createServer } from 'node:http';
import { WebSocketServer, type RawData } from 'ws';
import { EVENTS, WS_PATH, type WsFrame } from './protocol.js';
import { failBoot, serveControl } from './server-control.js';

async function main(): Promise<void> {
  const httpServer = createServer();
  const wss = new WebSocketServer({ server: httpServer, path: WS_PATH });

  wss.on('connection', (client) => {
    client.on('message', (raw: RawData) => {
      let frame: WsFrame;
      try {
        frame = JSON.parse(raw.toString()) as WsFrame;
      } catch {
        return;
      }
      if (frame?.event === EVENTS.echo) client.send(JSON.stringify({ event: EVENTS.echo, data: frame.data }));
    });
  });

  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as { port: number };
  serveControl(port, {
    connections: () => wss.clients.size,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise((resolve) => httpServer.close(resolve));
    },
  });
}

main().catch((error: unknown) => failBoot(error));
