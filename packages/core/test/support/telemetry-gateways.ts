import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { trace } from '@opentelemetry/api';
import { RateLimit } from '../../src/index.js';

/** Each outcome a message can have, on Socket.IO. */
@WebSocketGateway({ namespace: 'metered' })
export class MeteredGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown) {
    return data;
  }

  @SubscribeMessage('boom')
  boom(): never {
    throw new Error('db password is hunter2');
  }

  /** Makes a span of its own: it must be a child of the message's span. */
  @SubscribeMessage('traced')
  async traced() {
    return trace.getTracer('app').startActiveSpan('app work', async (span) => {
      await Promise.resolve();
      span.end();
      return 'done';
    });
  }

  private release?: () => void;

  /** `hold` answers once a later `release` came; `fail` fails at once: two messages of one event in flight. */
  @SubscribeMessage('held')
  async held(@MessageBody() step: 'hold' | 'fail' | 'release') {
    if (step === 'fail') throw new Error('failed while another held');
    if (step === 'release') {
      this.release?.();
      return 'released';
    }
    await new Promise<void>((resolve) => (this.release = resolve));
    return 'held';
  }

  @RateLimit({ points: 1, durationMs: 60_000 })
  @SubscribeMessage('scarce')
  scarce() {
    return 'ok';
  }
}

/** The same echo on a native WebSocket path. */
@WebSocketGateway({ transport: 'ws', path: '/metered' })
export class MeteredNativeGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown) {
    return { event: 'echo', data };
  }

  /** Fails: a native client has no ack, the error comes back as an `exception` frame. */
  @SubscribeMessage('boom')
  boom(): never {
    throw new Error('db password is hunter2');
  }
}
