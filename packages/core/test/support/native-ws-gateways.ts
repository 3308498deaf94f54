import { UseGuards, type OnModuleInit } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect } from '@nestjs/websockets';
import { interval, map, Observable, take } from 'rxjs';
import { Public, WsAuthUser, WsJwtGuard, type RealtimeUser } from '../../src/index.js';
import type { NativeWsClient } from '../../src/ws/index.js';
import { ErrorsGateway } from './error-gateways.js';

/** A native gateway behind the per-message guard. */
@UseGuards(WsJwtGuard)
@WebSocketGateway({ transport: 'ws', path: '/ws' })
export class NativeGateway implements OnGatewayConnection, OnModuleInit {
  readonly connectedUsers: unknown[] = [];
  stoppedStreams = 0;

  onModuleInit() {
    this.connectedUsers.length = 0;
  }

  handleConnection(client: NativeWsClient) {
    this.connectedUsers.push(client.data.user);
  }

  @SubscribeMessage('whoami')
  whoami(@WsAuthUser() user: RealtimeUser, @WsAuthUser('id') id: string) {
    return { event: 'whoami', data: { user, id } };
  }

  @SubscribeMessage('count')
  count(@MessageBody() n: number): Observable<{ event: string; data: number }> {
    return new Observable<number>((subscriber) => {
      const source = interval(20).pipe(take(n)).subscribe(subscriber);
      return () => {
        source.unsubscribe();
        this.stoppedStreams += 1;
      };
    }).pipe(map((i) => ({ event: 'count', data: i })));
  }
}

/** Every failure path of the error contract, on a native gateway. */
@WebSocketGateway({ transport: 'ws', path: '/ws-errors' })
export class NativeErrorsGateway extends ErrorsGateway {
  @SubscribeMessage('ping')
  ping(@MessageBody() data: unknown) {
    return { event: 'pong', data };
  }
}

/** A native gateway whose path takes anonymous clients. */
@UseGuards(WsJwtGuard)
@WebSocketGateway({ transport: 'ws', path: '/ws-public', public: true })
export class PublicNativeGateway {
  @Public()
  @SubscribeMessage('hello')
  hello() {
    return { event: 'hello', data: 'anyone' };
  }

  @SubscribeMessage('members-only')
  membersOnly() {
    return { event: 'members-only', data: 'secret' };
  }
}

/** A native gateway with no path of its own: `RealtimeWsAdapter` alone serves it on `/`, as Nest's `WsAdapter` does. */
@WebSocketGateway()
export class PathlessNativeGateway {
  @SubscribeMessage('ping')
  ping(@MessageBody() data: unknown) {
    return { event: 'pong', data };
  }
}

/** A native gateway whose connection setup fails. */
@WebSocketGateway({ transport: 'ws', path: '/ws-refusing' })
export class RefusingNativeGateway implements OnGatewayConnection {
  handleConnection() {
    throw new Error('database unreachable at 10.0.0.5');
  }
}

/** A native gateway on the Socket.IO path: a boot error beside Socket.IO. */
@WebSocketGateway({ transport: 'ws', path: '/socket.io' })
export class ClashingNativeGateway {}

/** A native gateway that records who connected and who left, to see the heartbeat's terminations. */
@WebSocketGateway({ transport: 'ws', path: '/ws-heartbeat' })
export class HeartbeatNativeGateway implements OnGatewayConnection, OnGatewayDisconnect {
  readonly connected: string[] = [];
  readonly disconnected: string[] = [];

  handleConnection(client: NativeWsClient) {
    this.connected.push(String((client.data.user as RealtimeUser).id));
  }

  handleDisconnect(client: NativeWsClient) {
    this.disconnected.push(String((client.data.user as RealtimeUser).id));
  }

  @SubscribeMessage('ping')
  ping(@MessageBody() data: unknown) {
    return { event: 'pong', data };
  }
}
