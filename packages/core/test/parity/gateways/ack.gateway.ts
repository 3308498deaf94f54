// Ported from nestjs/nest integration/websockets/src/ack.gateway.ts (port taken as a parameter).
import { Ack, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';

export function ackGateway(port: number) {
  @WebSocketGateway(port)
  class AckGateway {
    @SubscribeMessage('push')
    onPush() {
      return 'pong';
    }

    @SubscribeMessage('manual-ack')
    async handleManualAck(@MessageBody() data: { shouldSucceed: boolean }, @Ack() ack: (response: unknown) => void) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (data.shouldSucceed) ack({ status: 'success', data });
      else ack({ status: 'error', message: 'Operation failed' });
      return { status: 'ignored' };
    }
  }
  return AckGateway;
}
