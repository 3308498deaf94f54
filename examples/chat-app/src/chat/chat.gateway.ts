import { UseGuards, UsePipes, type OnApplicationShutdown } from '@nestjs/common';
import { ConnectedSocket, MessageBody, WebSocketGateway } from '@nestjs/websockets';
import {
  ContractMessage,
  contractTarget,
  RealtimeValidationPipe,
  RoomsGateway,
  WsAuthUser,
  WsJwtGuard,
  type ContractGateway,
  type RealtimeUser,
} from '@nestjs-realtime/core';
import type { Socket } from 'socket.io';
import { ChatMessageDto } from './chat-message.dto.js';
import type { ChatContract } from './chat.contract.js';
import { RoomMessageDto } from './room-message.dto.js';

interface ChatUser extends RealtimeUser {
  /** The token's `sub`: the lower-cased name. */
  id: string;
  name: string;
}

/** `@SubscribeMessage()`, checked against the contract: the event must be one of its requests, the method must fit it. */
const Handles = ContractMessage<ChatContract>();

/**
 * The chat: rooms with live presence (joinRoom / leaveRoom / msgToRoom / roomPresence, from
 * RoomsGateway, correct across tabs and instances; room messages are text of bounded length),
 * plus a lobby-wide `message`. Every request of `ChatContract` is checked at compile time: the
 * room ones against RoomsGateway's handlers (payload first, like every handler), the others
 * against this class's.
 * Failures (bad body, expired token, refused room) reach the client through the error contract.
 */
@UseGuards(WsJwtGuard)
@UsePipes(new RealtimeValidationPipe())
@WebSocketGateway({ namespace: 'chat' })
export class ChatGateway
  extends RoomsGateway<ChatUser>
  implements ContractGateway<ChatContract>, OnApplicationShutdown
{
  /** Rooms named `private-<user>` are only for that user (lower-cased name). */
  protected override canJoin(user: ChatUser, room: string): boolean {
    return !room.startsWith('private-') || room === `private-${user.id}`;
  }

  onApplicationShutdown(signal?: string): void {
    this.logger.log(`chat closed (${signal ?? 'app.close()'})`);
  }

  /** RoomsGateway's `msgToRoom`, for text only: see RoomMessageDto. */
  @Handles('msgToRoom')
  override msgToRoom(@MessageBody() body: RoomMessageDto, @ConnectedSocket() socket: Socket): { status: 'ok'; at: string } {
    return super.msgToRoom(body, socket);
  }

  @Handles('message')
  message(@MessageBody() message: ChatMessageDto, @WsAuthUser() user: ChatUser, @ConnectedSocket() client: Socket) {
    const at = new Date().toISOString();
    contractTarget<ChatContract>(this.server).emit('message', { from: user.id, name: user.name, socket: client.id, text: message.text, at });
    return { status: 'ok' as const, at };
  }
}
