import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { RateLimit } from '../../src/index.js';

/** `echo` on the module budget, `invite` on its own, `typing` exempt. */
@WebSocketGateway({ namespace: 'limited' })
export class LimitedGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown) {
    return data;
  }

  @RateLimit({ points: 2, durationMs: 60_000 })
  @SubscribeMessage('invite')
  invite() {
    return 'invited';
  }

  @RateLimit(false)
  @SubscribeMessage('typing')
  typing() {
    return 'typing';
  }
}

/** The same handlers on a native gateway. */
@WebSocketGateway({ transport: 'ws', path: '/limited-ws' })
export class LimitedNativeGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown) {
    return { event: 'echo', data };
  }
}
