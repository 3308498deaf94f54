/**
 * Target (c) of the native WebSocket rows: the same gateway on `RealtimeWsAdapter` with the
 * module's features on, as for Socket.IO: the JWT verified on the HTTP upgrade (sent as the
 * `bearer` subprotocol), `WsJwtGuard` on every message, the error contract (`exception` frames),
 * the message gate (payload limits), `RealtimeService` tracking each client by user.
 */
import 'reflect-metadata';
import { UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { WsJwtGuard } from '@nestjs-realtime/core';
import { RealtimeWsAdapter } from '@nestjs-realtime/core/ws';
import type { WebSocketServer as WsServer } from 'ws';
import { EVENTS, WS_PATH, type WsFrame } from './protocol.js';
import { realtimeBenchModule } from './realtime-bench-module.js';
import { failBoot, serveControl } from './server-control.js';
import { readServerConfig } from './server-config.js';

@UseGuards(WsJwtGuard)
@WebSocketGateway({ transport: 'ws', path: WS_PATH })
class RealtimeWsBenchGateway {
  @WebSocketServer()
  server!: WsServer;

  @SubscribeMessage(EVENTS.echo)
  echo(@MessageBody() data: unknown): WsFrame {
    return { event: EVENTS.echo, data };
  }
}

async function main(): Promise<void> {
  const config = readServerConfig();
  const app = await NestFactory.create(realtimeBenchModule(config, RealtimeWsBenchGateway), { logger: ['error', 'warn'], abortOnError: false });
  app.useWebSocketAdapter(new RealtimeWsAdapter(app));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const gateway = app.get(RealtimeWsBenchGateway);
  serveControl(port, {
    connections: () => gateway.server.clients.size,
    close: () => app.close(),
  });
}

main().catch((error: unknown) => failBoot(error));
