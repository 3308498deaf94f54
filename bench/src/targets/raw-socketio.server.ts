/**
 * Target (a): Socket.IO alone, no Nest: the floor every other target is compared to.
 * Hand-rolled handlers with the same wire shapes as the gateways (see protocol.ts).
 */
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server, type ServerOptions } from 'socket.io';
import msgpackParser from 'socket.io-msgpack-parser';
import { EVENTS, type RoomBody, type RoomMessageBody } from './protocol.js';
import { failBoot, serveControl } from './server-control.js';
import { readServerConfig } from './server-config.js';

type Ack = (response: unknown) => void;

async function main(): Promise<void> {
  const config = readServerConfig();
  const httpServer = createServer();
  const options: Partial<ServerOptions> = { serveClient: false };
  if (config.parser === 'msgpack') options.parser = msgpackParser;
  const closers: (() => Promise<unknown>)[] = [];
  if (config.redisUrl) {
    const pub = createClient({ url: config.redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    options.adapter = createAdapter(pub, sub);
    closers.push(() => pub.quit(), () => sub.quit());
  }
  const io = new Server(httpServer, options);

  io.on('connection', (socket) => {
    socket.on(EVENTS.echo, (data: unknown, ack?: Ack) => ack?.(data));
    socket.on(EVENTS.joinRoom, async (body: RoomBody, ack?: Ack) => {
      await socket.join(body.room);
      ack?.({ status: 'ok', room: body.room });
    });
    socket.on(EVENTS.leaveRoom, async (body: RoomBody, ack?: Ack) => {
      await socket.leave(body.room);
      ack?.({ status: 'ok', room: body.room });
    });
    socket.on(EVENTS.msgToRoom, (body: RoomMessageBody, ack?: Ack) => {
      const at = new Date().toISOString();
      io.to(body.room).emit(EVENTS.msgToRoom, { room: body.room, from: { connectionId: socket.id }, message: body.message, at });
      ack?.({ status: 'ok', at });
    });
  });

  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as { port: number };
  serveControl(port, {
    connections: () => io.engine.clientsCount,
    close: async () => {
      await io.close();
      await Promise.allSettled(closers.map((close) => close()));
    },
  });
}

main().catch((error: unknown) => failBoot(error));
