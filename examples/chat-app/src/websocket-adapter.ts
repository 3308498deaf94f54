import type { INestApplication } from '@nestjs/common';
import { RealtimeIoAdapter } from '@nestjs-realtime/core';
import { RealtimeWsAdapter } from '@nestjs-realtime/core/ws';

/** Socket.IO gateways, plus the native WebSocket gateway (`transport: 'ws'`) on the same port. */
export function createWebSocketAdapter(app: INestApplication): RealtimeIoAdapter {
  return new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) });
}
