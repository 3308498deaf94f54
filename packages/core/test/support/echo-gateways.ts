import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';

/** Answers `echo` through the ack with what it received. */
export abstract class EchoHandler {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown): unknown {
    return data;
  }
}

@WebSocketGateway()
export class RootEchoGateway extends EchoHandler {}

@WebSocketGateway({ namespace: 'alpha' })
export class AlphaEchoGateway extends EchoHandler {}

@WebSocketGateway({ namespace: 'beta' })
export class BetaEchoGateway extends EchoHandler {}
