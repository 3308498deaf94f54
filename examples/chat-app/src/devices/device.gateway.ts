import { UseGuards, UsePipes } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { PresenceService, RealtimeException, RealtimeValidationPipe, WsAuthUser, WsJwtGuard, type RealtimeUser } from '@nestjs-realtime/core';
import { IsString, Length } from 'class-validator';

class RoomQueryDto {
  @IsString()
  @Length(1, 64)
  room!: string;
}

/**
 * Native WebSocket for thin clients (devices, scripts, other languages): JSON frames
 * `{ "event", "data" }` on /ws, no Socket.IO client needed. The same token signs them in, the
 * same errors come back (as `exception` frames), and notifications sent with
 * `RealtimeService.toUser()` reach them too.
 */
@UseGuards(WsJwtGuard)
@UsePipes(new RealtimeValidationPipe())
@WebSocketGateway({ transport: 'ws', path: '/ws' })
export class DeviceGateway {
  constructor(private readonly presence: PresenceService) {}

  @SubscribeMessage('whoami')
  whoami(@WsAuthUser() user: RealtimeUser) {
    return { event: 'whoami', data: user };
  }

  /**
   * How many people (and devices) are in a chat room right now, for a room the user is in (from
   * any of their connections): who is in the others is not the caller's business.
   */
  @SubscribeMessage('roomPresence')
  async roomPresence(@WsAuthUser() user: RealtimeUser, @MessageBody() { room }: RoomQueryDto) {
    const chat = { namespace: '/chat' };
    if (!(await this.presence.roomsOf(user.id, chat)).includes(room)) {
      throw new RealtimeException('FORBIDDEN', 'Join the room to see who is in it', { room });
    }
    return { event: 'roomPresence', data: { room, ...(await this.presence.count(room, chat)) } };
  }
}
