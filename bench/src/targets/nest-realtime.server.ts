/**
 * Target (c): the same gateway on `RealtimeIoAdapter` with the module's features on: JWT
 * handshake auth, `WsJwtGuard` on every message, the error contract (`RealtimeExceptionFilter`,
 * applied by the adapter), presence through `RoomsGateway` (`joinRoom` / `leaveRoom` /
 * `msgToRoom`). With Redis: the module's Redis adapter and, by default, the Redis presence store.
 */
import 'reflect-metadata';
import { UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { RealtimeIoAdapter, RoomsGateway, WsJwtGuard } from '@nestjs-realtime/core';
import type { Server } from 'socket.io';
import { registerBenchTelemetry } from './bench-telemetry.js';
import { EVENTS } from './protocol.js';
import { realtimeBenchModule } from './realtime-bench-module.js';
import { failBoot, serveControl } from './server-control.js';
import { readServerConfig } from './server-config.js';

@UseGuards(WsJwtGuard)
@WebSocketGateway()
class RealtimeBenchGateway extends RoomsGateway {
  @SubscribeMessage(EVENTS.echo)
  echo(@MessageBody() data: unknown): unknown {
    return data;
  }

  /** A gateway without a namespace is handed the Server itself. */
  connectionCount(): number {
    return (this.server as unknown as Server).engine.clientsCount;
  }
}

async function main(): Promise<void> {
  const config = readServerConfig();
  if (config.observability === 'metrics') registerBenchTelemetry({ traces: false });
  if (config.observability === 'sdk') registerBenchTelemetry({ traces: true });
  if (config.observability === 'app-traced') registerBenchTelemetry({ traces: true, contextInUse: true });
  if (config.observability === 'sdk-sampled') registerBenchTelemetry({ traces: true, sampleRatio: 0.01 });
  const app = await NestFactory.create(realtimeBenchModule(config, RealtimeBenchGateway), { logger: ['error', 'warn'], abortOnError: false }).catch((error: unknown) => {
    // Builds of the core older than the `parser` option refuse it as unknown: report n/a, not a failure.
    const message = error instanceof Error ? error.message : String(error);
    if (config.parser === 'msgpack' && /option "parser"/.test(message)) {
      failBoot(error, 'RealtimeModule.forRoot() does not accept the `parser` option in this build of @nestjs-realtime/core');
      return undefined;
    }
    throw error;
  });
  if (!app) return;
  app.useWebSocketAdapter(new RealtimeIoAdapter(app));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const gateway = app.get(RealtimeBenchGateway);
  serveControl(port, {
    connections: () => gateway.connectionCount(),
    close: () => app.close(),
  });
}

main().catch((error: unknown) => failBoot(error));
