import { ConnectedSocket, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { RoomsGateway, type RealtimeUser } from '../../src/index.js';

interface ChatUser extends RealtimeUser {
  vip?: boolean;
}

/** A chat built on RoomsGateway: a custom canJoin, and a handler of its own next to the inherited ones. */
@WebSocketGateway({ namespace: 'chat' })
export class ChatRoomsGateway extends RoomsGateway<ChatUser> {
  protected override canJoin(user: ChatUser, room: string): boolean {
    return !room.startsWith('vip') || user.vip === true;
  }

  @SubscribeMessage('whoami')
  whoami(@ConnectedSocket() socket: Socket) {
    return { userId: this.userOf(socket)?.id, namespace: this.server.name };
  }
}
