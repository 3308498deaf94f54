import { UseGuards, UsePipes } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import {
  RealtimeException,
  RealtimeValidationPipe,
  RoomsGateway,
  WsAuthUser,
  WsJwtGuard,
  type RealtimeUser,
} from '@nestjs-realtime/core';
import type { Socket } from 'socket.io';
import { ChatMessageDto } from './chat-message.dto.js';

/** The user of a connection: the verified token's claims, `sub` as `id`. */
export interface ChatUser extends RealtimeUser {
  id: string;
  name: string;
}

/**
 * The `/chat` namespace. RoomsGateway brings `joinRoom { room }`, `leaveRoom`, `roomPresence` and
 * `msgToRoom` (room names checked, presence kept across tabs); `message { room, text }` is this
 * gateway's own: text to a room the client has joined. Every failure reaches the client's ack as
 * `{ status: 'error', code, message }`.
 */
@UseGuards(WsJwtGuard)
@UsePipes(new RealtimeValidationPipe())
@WebSocketGateway({ namespace: 'chat' })
export class ChatGateway extends RoomsGateway<ChatUser> {
  @SubscribeMessage('message')
  message(@MessageBody() { room, text }: ChatMessageDto, @WsAuthUser() user: ChatUser, @ConnectedSocket() socket: Socket) {
    if (!socket.rooms.has(room)) throw new RealtimeException('FORBIDDEN', 'Join the room before sending to it', { room });
    const at = new Date().toISOString();
    // Everyone in the room, this sender's other tabs included, gets the message.
    this.server.to(room).emit('message', { room, from: user.name, text, at });
    return { status: 'ok', at };
  }
}
