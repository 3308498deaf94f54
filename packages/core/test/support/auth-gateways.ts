import { UseFilters, UseGuards } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { Public, RealtimeExceptionFilter, WsAuthUser, WsJwtGuard, type RealtimeUser } from '../../src/index.js';

interface AppUser extends RealtimeUser {
  name?: string;
}

/** Reports who the server thinks the caller is, from every angle a handler could look. */
@UseGuards(WsJwtGuard)
@UseFilters(RealtimeExceptionFilter)
@WebSocketGateway()
export class WhoAmIGateway {
  @SubscribeMessage('whoami')
  whoami(@WsAuthUser() user: AppUser, @WsAuthUser<AppUser>('id') id: string, @ConnectedSocket() socket: Socket) {
    return { user, id, dataUserId: (socket.data.user as AppUser | undefined)?.id };
  }

  @SubscribeMessage('whoami-with-payload')
  whoamiWithPayload(@WsAuthUser('id') id: string, @MessageBody() body: unknown) {
    return { id, body };
  }
}

/** A namespace where a token is optional. */
@UseGuards(WsJwtGuard)
@UseFilters(RealtimeExceptionFilter)
@WebSocketGateway({ namespace: 'lobby', public: true })
export class LobbyGateway {
  @Public()
  @SubscribeMessage('hello')
  hello(@WsAuthUser('id') id: string | undefined) {
    return { greeting: 'hello', id: id ?? null };
  }

  @SubscribeMessage('members-only')
  membersOnly(@WsAuthUser('id') id: string) {
    return { id };
  }
}
