import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';

/** Rooms for multi-instance tests: join a room, broadcast to it from whichever instance. */
@WebSocketGateway({ namespace: 'rooms' })
export class ClusterRoomsGateway {
  @WebSocketServer() namespace!: Namespace;

  @SubscribeMessage('join')
  async join(@ConnectedSocket() socket: Socket, @MessageBody() room: string) {
    await socket.join(room);
    return 'joined';
  }

  @SubscribeMessage('shout')
  shout(@MessageBody() { room, text }: { room: string; text: string }) {
    this.namespace.to(room).emit('shouted', text);
    return 'sent';
  }
}
