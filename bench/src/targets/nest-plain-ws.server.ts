/**
 * Target (b) of the native WebSocket rows: a plain Nest gateway on Nest's own `WsAdapter`
 * (`@nestjs/platform-ws`), written the way Nest's docs show: no authentication, no error contract.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { WebSocketServer as WsServer } from 'ws';
import { EVENTS, WS_PATH, type WsFrame } from './protocol.js';
import { failBoot, serveControl } from './server-control.js';

@WebSocketGateway({ path: WS_PATH })
class PlainWsBenchGateway {
  @WebSocketServer()
  server!: WsServer;

  @SubscribeMessage(EVENTS.echo)
  echo(@MessageBody() data: unknown): WsFrame {
    return { event: EVENTS.echo, data };
  }
}

@Module({ providers: [PlainWsBenchGateway] })
class PlainWsBenchModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(PlainWsBenchModule, { logger: ['error', 'warn'], abortOnError: false });
  app.useWebSocketAdapter(new WsAdapter(app));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const gateway = app.get(PlainWsBenchGateway);
  serveControl(port, {
    connections: () => gateway.server.clients.size,
    close: () => app.close(),
  });
}

main().catch((error: unknown) => failBoot(error));
