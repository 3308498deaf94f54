import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { RoomsGateway, type PresenceModeOverride, type RealtimeUser } from '../../src/index.js';

interface ChatUser extends RealtimeUser {
  vip?: boolean;
  admin?: boolean;
}

/** A chat built on RoomsGateway: a custom canJoin, and a handler of its own next to the inherited ones. */
@WebSocketGateway({ namespace: 'chat' })
export class ChatRoomsGateway extends RoomsGateway<ChatUser> {
  protected override canJoin(user: ChatUser, room: string): boolean {
    return !room.startsWith('vip') || user.vip === true;
  }

  @SubscribeMessage('whoami')
  whoami(@ConnectedSocket() socket: Socket) {
    return { userId: this.userOf(socket)?.id, namespace: this.namespaceName };
  }

  /** Uses the inherited helpers: to every tab of the caller, and to a room. */
  @SubscribeMessage('echo-via-helpers')
  echoViaHelpers(@ConnectedSocket() socket: Socket, @MessageBody() { room }: { room: string }) {
    this.toUser(this.userOf(socket)!.id).emit('to-user', 'mine');
    this.toRoom(room).emit('to-room', 'ours');
    return 'ok';
  }
}

/** Beside the chat, in the same app: the same room names, but only admins may join them. */
@WebSocketGateway({ namespace: 'admin' })
export class AdminRoomsGateway extends RoomsGateway<ChatUser> {
  protected override canJoin(user: ChatUser): boolean {
    return user.admin === true;
  }
}

/** RoomsGateway as it comes, on /rooms: the namespace of the `instance.mjs` fixture's gateway. */
@WebSocketGateway({ namespace: 'rooms' })
export class PlainRoomsGateway extends RoomsGateway {}

/**
 * Rooms whose presence mode the gateway fixes by name: `stage-*` always counts (an audience),
 * `team-*` always lists its members, others follow `presence.bigRoomUsers`.
 */
@WebSocketGateway({ namespace: 'stage' })
export class StageRoomsGateway extends RoomsGateway {
  protected override presenceMode(room: string): PresenceModeOverride {
    if (room.startsWith('stage-')) return 'counts';
    return room.startsWith('team-') ? 'full' : 'auto';
  }

  @SubscribeMessage('whoami')
  whoami(@ConnectedSocket() socket: Socket) {
    return { userId: this.userOf(socket)?.id };
  }
}
