import { UseGuards, UsePipes, type OnApplicationShutdown } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway, ConnectedSocket } from '@nestjs/websockets';
import { RealtimeValidationPipe, RoomsGateway, WsAuthUser, WsJwtGuard, type RealtimeUser } from '@nestjs-realtime/core';
import type { Socket } from 'socket.io';
import { ChatMessageDto } from './chat-message.dto.js';
import { RoomMessageDto } from './room-message.dto.js';

interface ChatUser extends RealtimeUser {
  name: string;
}

/**
 * The chat: rooms with live presence (joinRoom / leaveRoom / msgToRoom, inherited from
 * RoomsGateway, correct across tabs and instances; room messages are text of bounded length),
 * plus a lobby-wide `message`.
 * Failures (bad body, expired token, refused room) reach the client through the error contract.
 */
@UseGuards(WsJwtGuard)
@UsePipes(new RealtimeValidationPipe())
@WebSocketGateway({ namespace: 'chat' })
export class ChatGateway extends RoomsGateway<ChatUser> implements OnApplicationShutdown {
  /** Rooms named `private-<user>` are only for that user (lower-cased name). */
  protected override canJoin(user: ChatUser, room: string): boolean {
    return !room.startsWith('private-') || room === `private-${user.id}`;
  }

  onApplicationShutdown(signal?: string): void {
    this.logger.log(`chat closed (${signal ?? 'app.close()'})`);
  }

  /** RoomsGateway's `msgToRoom`, for text only: see RoomMessageDto. */
  @SubscribeMessage('msgToRoom')
  override msgToRoom(@ConnectedSocket() socket: Socket, @MessageBody() body: RoomMessageDto): { status: 'ok'; at: string } {
    return super.msgToRoom(socket, body);
  }

  @SubscribeMessage('message')
  onMessage(
    @WsAuthUser() user: ChatUser,
    @ConnectedSocket() client: Socket,
    @MessageBody() message: ChatMessageDto,
  ): { status: 'ok'; at: string } {
    const at = new Date().toISOString();
    this.server.emit('message', { from: user.id, name: user.name, socket: client.id, text: message.text, at });
    return { status: 'ok', at };
  }
}
