import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { PING_EVENT } from '../../src/index.js';

/**
 * Gateways that subscribe to the reserved `realtime:ping` themselves, as an app might by mistake:
 * the library answers the heartbeat, and these handlers must never run.
 */
abstract class ReservedPingHandlers {
  pingsHandled = 0;

  @SubscribeMessage(PING_EVENT)
  ping() {
    this.pingsHandled += 1;
    return { event: PING_EVENT, data: 'from the app' };
  }
}

/** `echo` and the reserved `realtime:ping` on a native gateway. */
@WebSocketGateway({ transport: 'ws', path: '/ws-ping' })
export class PingNativeGateway extends ReservedPingHandlers {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown) {
    return { event: 'echo', data };
  }
}

/** The same on Socket.IO. */
@WebSocketGateway({ namespace: 'ping' })
export class PingSocketIoGateway extends ReservedPingHandlers {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown) {
    return data;
  }
}
