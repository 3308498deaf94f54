/**
 * Target (b): a plain Nest gateway on Nest's own `IoAdapter`, written the way Nest's docs show:
 * no auth, no presence, no error contract. With Redis, the `RedisIoAdapter` from Nest's docs.
 */
import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Server, ServerOptions, Socket } from 'socket.io';
import msgpackParser from 'socket.io-msgpack-parser';
import { EVENTS, type RoomBody, type RoomMessageBody } from './protocol.js';
import { failBoot, serveControl } from './server-control.js';
import { readServerConfig } from './server-config.js';

const config = readServerConfig();

/** Nest's documented recipe for scaling gateways over Redis. */
class RedisIoAdapter extends IoAdapter {
  private adapterConstructor?: ReturnType<typeof createAdapter>;
  private readonly clients: ReturnType<typeof createClient>[] = [];

  constructor(app: INestApplicationContext) {
    super(app);
  }

  async connectToRedis(url: string): Promise<void> {
    const pub = createClient({ url });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    this.clients.push(pub, sub);
    this.adapterConstructor = createAdapter(pub, sub);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    if (this.adapterConstructor) server.adapter(this.adapterConstructor);
    return server;
  }

  async quit(): Promise<void> {
    await Promise.allSettled(this.clients.map((client) => client.quit()));
  }
}

@WebSocketGateway(config.parser === 'msgpack' ? { parser: msgpackParser } : {})
class PlainBenchGateway {
  @WebSocketServer()
  server!: Server;

  @SubscribeMessage(EVENTS.echo)
  echo(@MessageBody() data: unknown): unknown {
    return data;
  }

  @SubscribeMessage(EVENTS.joinRoom)
  async joinRoom(@ConnectedSocket() socket: Socket, @MessageBody() body: RoomBody): Promise<{ status: 'ok'; room: string }> {
    await socket.join(body.room);
    return { status: 'ok', room: body.room };
  }

  @SubscribeMessage(EVENTS.leaveRoom)
  async leaveRoom(@ConnectedSocket() socket: Socket, @MessageBody() body: RoomBody): Promise<{ status: 'ok'; room: string }> {
    await socket.leave(body.room);
    return { status: 'ok', room: body.room };
  }

  @SubscribeMessage(EVENTS.msgToRoom)
  msgToRoom(@ConnectedSocket() socket: Socket, @MessageBody() body: RoomMessageBody): { status: 'ok'; at: string } {
    const at = new Date().toISOString();
    this.server.to(body.room).emit(EVENTS.msgToRoom, { room: body.room, from: { connectionId: socket.id }, message: body.message, at });
    return { status: 'ok', at };
  }
}

@Module({ providers: [PlainBenchGateway] })
class PlainBenchModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(PlainBenchModule, { logger: ['error', 'warn'], abortOnError: false });
  // Exactly Nest's IoAdapter unless Redis is asked for.
  const adapter = config.redisUrl ? new RedisIoAdapter(app) : new IoAdapter(app);
  if (adapter instanceof RedisIoAdapter) await adapter.connectToRedis(config.redisUrl!);
  app.useWebSocketAdapter(adapter);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const gateway = app.get(PlainBenchGateway);
  serveControl(port, {
    connections: () => gateway.server.engine.clientsCount,
    close: async () => {
      await app.close();
      if (adapter instanceof RedisIoAdapter) await adapter.quit();
    },
  });
}

main().catch((error: unknown) => failBoot(error));
