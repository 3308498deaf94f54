import { UseGuards } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { RealtimeModule, RealtimeService, WsAuthUser, WsJwtGuard, type RealtimeUser } from '../../src/index.js';
import { createRealtimeTestingApp, waitForEvent, type RealtimeTestingApp } from '../../src/testing/index.js';
import { InMemoryOpenTelemetry } from '../support/otel-sdk.js';
import { SECRET } from '../support/tokens.js';

// Socket.IO creates a child namespace of a dynamic one (`namespace: /regex/`) on its first
// connection, copying the parent's middlewares and `connection` listeners, Nest's included. The
// adapter's own must come first there too, as on every static namespace: authentication before the
// app's middlewares, the connection's context before Nest binds the gateway's handlers to it.

/** What the app saw of each socket, in order. */
const seen: string[] = [];

@UseGuards(WsJwtGuard)
@WebSocketGateway({ namespace: /^\/room-\d+$/ })
class RoomsByIdGateway implements OnGatewayInit, OnGatewayConnection {
  afterInit(parent: Namespace) {
    // The app's own middleware, as Nest's docs register one.
    parent.use((socket, next) => {
      seen.push(`middleware ${socket.nsp.name} user=${(socket.data as { user?: RealtimeUser }).user?.id}`);
      next();
    });
  }

  handleConnection(socket: Socket) {
    seen.push(`connection ${socket.nsp.name} user=${(socket.data as { user?: RealtimeUser }).user?.id} rooms=${[...socket.rooms].filter((room) => room !== socket.id)}`);
  }

  @SubscribeMessage('where')
  where(@ConnectedSocket() socket: Socket, @MessageBody() note: string, @WsAuthUser('id') userId: string) {
    return { namespace: socket.nsp.name, note, userId };
  }
}

describe('gateways on a dynamic namespace (namespace: RegExp)', () => {
  let rt: RealtimeTestingApp;
  afterEach(async () => {
    seen.length = 0;
    await rt?.close();
  });

  const start = async () => {
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET } })],
      providers: [RoomsByIdGateway],
    });
  };

  it("serves the gateway's handlers on each child namespace", async () => {
    await start();
    const seven = await rt.connect({ namespace: 'room-7', user: { id: 'ada' } });
    const eight = await rt.connect({ namespace: 'room-8', user: { id: 'bob' } });

    expect(await seven.timeout(3000).emitWithAck('where', 'hi')).toEqual({ namespace: '/room-7', note: 'hi', userId: 'ada' });
    expect(await eight.timeout(3000).emitWithAck('where', 'yo')).toEqual({ namespace: '/room-8', note: 'yo', userId: 'bob' });
  });

  it('authenticates before the app’s middleware and handleConnection, and puts the socket in its user room', async () => {
    await start();
    const socket = await rt.connect({ namespace: 'room-7', user: { id: 'ada' } });
    const delivered = waitForEvent(socket, 'note');
    rt.app.get(RealtimeService).toUser('ada', { namespace: '/room-7' }).emit('note', 'for ada');

    expect(await delivered).toBe('for ada');
    expect(seen).toEqual(['middleware /room-7 user=ada', 'connection /room-7 user=ada rooms=user:ada']);
  });

  it('refuses a client without a token before the app’s middleware sees it', async () => {
    await start();
    await expect(rt.connect({ namespace: 'room-9' })).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED', reason: 'missing_token' } });
    expect(seen).toEqual([]);
  });
});

describe('metrics of a dynamic namespace', () => {
  let otel: InMemoryOpenTelemetry;
  let rt: RealtimeTestingApp;
  afterEach(async () => {
    seen.length = 0;
    await rt?.close();
    await otel?.uninstall();
  });

  it("record its children under the gateway's pattern: a client cannot make a series per name it invents", async () => {
    otel = InMemoryOpenTelemetry.install();
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, observability: { enabled: true } })],
      providers: [RoomsByIdGateway],
    });
    // Each name makes a child namespace before the token is checked.
    for (const id of [101, 102, 103]) await expect(rt.connect({ namespace: `room-${id}` })).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    const socket = await rt.connect({ namespace: 'room-104', user: { id: 'ada' } });
    expect(await socket.timeout(3000).emitWithAck('where', 'hi')).toMatchObject({ namespace: '/room-104' });

    const pattern = String(/^\/room-\d+$/);
    const handshakes = { 'realtime.namespace': pattern, 'realtime.transport': 'socket.io' };
    expect(await otel.value('realtime.handshakes', { ...handshakes, 'realtime.outcome': 'accepted' })).toBe(1);
    expect(await otel.value('realtime.handshakes', { ...handshakes, 'realtime.outcome': 'refused' })).toBe(3);
    expect(await otel.value('realtime.messages.received', { 'realtime.namespace': pattern, 'realtime.event': 'where', 'realtime.outcome': 'ok' })).toBe(1);
    const namespaces = new Set<unknown>();
    for (const points of (await otel.allPoints()).values()) for (const { attributes } of points) if ('realtime.namespace' in attributes) namespaces.add(attributes['realtime.namespace']);
    expect([...namespaces]).toEqual([pattern]);
  });
});
