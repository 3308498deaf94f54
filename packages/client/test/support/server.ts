import 'reflect-metadata';
import { UseGuards } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import { JwtService } from '@nestjs/jwt';
import type { Socket } from 'socket.io';
import {
  RateLimit,
  RealtimeException,
  RealtimeIoAdapter,
  RealtimeModule,
  RoomsGateway,
  WsAuthUser,
  WsJwtGuard,
  type ContractGateway,
  type RealtimeModuleOptions,
  type RealtimeUser,
} from '@nestjs-realtime/core';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '@nestjs-realtime/core/testing';
import { RealtimeWsAdapter } from '@nestjs-realtime/core/ws';
import type { ChatContract } from './chat.contract.js';
import type { DeviceContract } from './device.contract.js';

export const SECRET = 'client-test-secret-that-is-long-enough!!';
const jwt = new JwtService({ secret: SECRET });

/** A token for `sub`, valid for `expiresInSeconds`. */
export function token(sub: string, expiresInSeconds = 600): string {
  return jwt.sign({ sub }, { expiresIn: expiresInSeconds });
}

/** An already expired token. */
export function expiredToken(sub: string): string {
  return jwt.sign({ sub, exp: Math.floor(Date.now() / 1000) - 60 });
}

/** What the test gateway saw: for assertions on the server side. */
export const seen = { connections: 0, silent: 0, nativeConnections: 0, presencePages: 0 };

/**
 * The chat of the tests: `RoomsGateway` (rooms, presence, msgToRoom) plus the requests of
 * `ChatContract`, checked against it at compile time.
 */
@UseGuards(WsJwtGuard)
@WebSocketGateway({ namespace: 'chat' })
export class ChatGateway extends RoomsGateway implements ContractGateway<ChatContract> {
  protected override canJoin(_user: RealtimeUser, room: string): boolean {
    return !room.startsWith('staff-');
  }

  override handleConnection(socket: Socket): void {
    seen.connections += 1;
    // Every page a client reads after its join is one `roomPresence` request.
    socket.onAny((event: string) => {
      if (event === 'roomPresence') seen.presencePages += 1;
    });
    super.handleConnection(socket);
  }

  @SubscribeMessage('message')
  message(@MessageBody() body: { text: string }, @WsAuthUser('id') from: string): { status: 'ok'; at: string } {
    if (typeof body?.text !== 'string' || body.text === '') throw new RealtimeException('BAD_REQUEST', 'text is required', { field: 'text' });
    const at = new Date().toISOString();
    this.server.emit('message', { from, text: body.text, at });
    return { status: 'ok', at };
  }

  @RateLimit({ points: 1, durationMs: 300 })
  @SubscribeMessage('scarce')
  scarce(): string {
    return 'granted';
  }

  /** Never answers: for request timeouts. */
  @SubscribeMessage('silent')
  silent(): Promise<never> {
    seen.silent += 1;
    return new Promise(() => undefined);
  }

  /** Makes the server send a protocol event to this connection, as the library would. */
  @SubscribeMessage('testSend')
  testSend(@MessageBody() { event, data }: { event: string; data: unknown }, @ConnectedSocket() socket: Socket): string {
    socket.emit(event, data);
    return 'sent';
  }

  /** Cuts this connection's transport (as a network drop would). */
  @SubscribeMessage('testDrop')
  testDrop(@MessageBody() _none: undefined, @ConnectedSocket() socket: Socket): void {
    setImmediate(() => socket.conn.close());
  }
}

/** A real Nest app serving `ChatGateway` with handshake auth. */
export function startServer(options: RealtimeModuleOptions = {}): Promise<RealtimeTestingApp> {
  return createRealtimeTestingApp({
    imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, ...options })],
    providers: [ChatGateway],
  });
}

/** A native client as `DeviceGateway` sees it (the `ws` package's socket, typed as far as the tests need). */
interface NativeSocket {
  send(data: string): void;
  terminate(): void;
}

/**
 * The native WebSocket gateway of the tests, on `/ws`: each handler answers with a frame
 * `{ event, data }`, checked against `DeviceContract` at compile time.
 */
@UseGuards(WsJwtGuard)
@WebSocketGateway({ transport: 'ws', path: '/ws' })
export class DeviceGateway implements ContractGateway<DeviceContract>, OnGatewayConnection {
  handleConnection(): void {
    seen.nativeConnections += 1;
  }

  @SubscribeMessage('whoami')
  whoami(@MessageBody() _none: undefined, @WsAuthUser('id') id: string) {
    return { event: 'whoami' as const, data: { id } };
  }

  @SubscribeMessage('echo')
  echo(@MessageBody() body: { text: string }, @WsAuthUser('id') from: string) {
    if (typeof body?.text !== 'string' || body.text === '') throw new RealtimeException('BAD_REQUEST', 'text is required', { field: 'text' });
    return { event: 'echoed' as const, data: { text: body.text, from } };
  }

  @RateLimit({ points: 1, durationMs: 300 })
  @SubscribeMessage('scarce')
  scarce() {
    return { event: 'scarce' as const, data: 'granted' };
  }

  /** Never answers: for request timeouts. */
  @SubscribeMessage('silent')
  silent(): Promise<never> {
    return new Promise(() => undefined);
  }

  /** Makes the server send a frame to this connection, as the library would. */
  @SubscribeMessage('testSend')
  testSend(@MessageBody() { event, data }: { event: string; data: unknown }, @ConnectedSocket() client: NativeSocket) {
    client.send(JSON.stringify({ event, data }));
    return { event: 'testSend' as const, data: 'sent' as const };
  }

  /** Cuts this connection (as a network drop would: no close frame, code 1006). */
  @SubscribeMessage('testDrop')
  testDrop(@MessageBody() _none: undefined, @ConnectedSocket() client: NativeSocket): void {
    setImmediate(() => client.terminate());
  }
}

/** A native gateway whose connection setup fails: the server closes with 4000. */
@WebSocketGateway({ transport: 'ws', path: '/ws-refusing' })
export class RefusingGateway implements OnGatewayConnection {
  handleConnection(): void {
    throw new Error('database unreachable');
  }
}

/**
 * A real Nest app serving `ChatGateway` over Socket.IO and `DeviceGateway` (`/ws`) and
 * `RefusingGateway` (`/ws-refusing`) over native WebSocket, on one HTTP server, as users mix them.
 */
export function startNativeServer(options: RealtimeModuleOptions = {}): Promise<RealtimeTestingApp> {
  return createRealtimeTestingApp(
    {
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, ...options })],
      providers: [ChatGateway, DeviceGateway, RefusingGateway],
    },
    { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
  );
}
