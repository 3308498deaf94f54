import { Logger, UseGuards, UsePipes, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import { RealtimeValidationPipe, WsAuthUser, WsJwtGuard, type RealtimeUser } from '@nestjs-realtime/core';
import type { Namespace, Socket } from 'socket.io';
import { ChatMessageDto } from './chat-message.dto.js';

interface ChatUser extends RealtimeUser {
  name: string;
}


/**
 * A public chat room: every message goes to every signed-in client of the namespace.
 * Failures (bad body, expired token) reach the client through the error contract, which the
 * adapter applies to every gateway.
 */
@UseGuards(WsJwtGuard)
@UsePipes(new RealtimeValidationPipe())
@WebSocketGateway({ namespace: 'chat' })
export class ChatGateway implements OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown {
  private readonly logger = new Logger(ChatGateway.name);

  @WebSocketServer()
  private readonly namespace!: Namespace;

  // The handshake already authenticated the socket: guards do not run here, and need not.
  handleConnection(client: Socket): void {
    this.logger.log(`${(client.data.user as ChatUser).name} joined the chat (${client.id})`);
  }

  handleDisconnect(client: Socket): void {
    this.logger.log(`${(client.data.user as ChatUser | undefined)?.name ?? client.id} left the chat`);
  }

  onApplicationShutdown(signal?: string): void {
    this.logger.log(`chat closed (${signal ?? 'app.close()'})`);
  }

  @SubscribeMessage('message')
  onMessage(
    @WsAuthUser() user: ChatUser,
    @ConnectedSocket() client: Socket,
    @MessageBody() message: ChatMessageDto,
  ): { status: 'ok'; at: string } {
    const at = new Date().toISOString();
    this.namespace.emit('message', { from: user.id, name: user.name, socket: client.id, text: message.text, at });
    return { status: 'ok', at };
  }
}
