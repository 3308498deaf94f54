import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';

interface ChatMessage {
  text: string;
}

/** A public chat room: every message goes to every client of the namespace. */
@WebSocketGateway({ namespace: 'chat' })
export class ChatGateway implements OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown {
  private readonly logger = new Logger(ChatGateway.name);

  @WebSocketServer()
  private readonly namespace!: Namespace;

  handleConnection(client: Socket): void {
    this.logger.log(`client ${client.id} joined the chat`);
  }

  handleDisconnect(client: Socket): void {
    this.logger.log(`client ${client.id} left the chat`);
  }

  onApplicationShutdown(signal?: string): void {
    this.logger.log(`chat closed (${signal ?? 'app.close()'})`);
  }

  @SubscribeMessage('message')
  onMessage(@ConnectedSocket() client: Socket, @MessageBody() message: ChatMessage): { status: 'ok'; at: string } {
    const at = new Date().toISOString();
    this.namespace.emit('message', { from: client.id, text: String(message?.text ?? ''), at });
    return { status: 'ok', at };
  }
}
