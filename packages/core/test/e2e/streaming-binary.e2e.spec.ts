import { MessageBody, SubscribeMessage, WebSocketGateway, type WsResponse } from '@nestjs/websockets';
import { concat, finalize, interval, map, of, range, take, type Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeModule } from '../../src/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { collect, until } from '../support/cluster.js';

const MAX_BUFFER = 1024 * 1024;

/** Server-side evidence of what the stream producers did. */
const producer = { ticks: 0, tornDown: false };

@WebSocketGateway({ namespace: 'media' })
class MediaGateway {
  /** Streams `n` items as events, then completes: the final plain value is the ack. */
  @SubscribeMessage('count')
  count(@MessageBody() n: number): Observable<WsResponse<number> | { done: true; count: number }> {
    return concat(
      range(1, n).pipe(map((i) => ({ event: 'count', data: i }))),
      of({ done: true as const, count: n }),
    );
  }

  /** An endless producer: only the client going away stops it. */
  @SubscribeMessage('ticker')
  ticker(): Observable<WsResponse<number>> {
    producer.ticks = 0;
    producer.tornDown = false;
    return interval(20).pipe(
      map((i) => {
        producer.ticks++;
        return { event: 'tick', data: i };
      }),
      take(10_000),
      finalize(() => (producer.tornDown = true)),
    );
  }

  @SubscribeMessage('echo-binary')
  echoBinary(@MessageBody() data: Buffer): Buffer {
    return data;
  }
}

describe('streaming and binary payloads', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await createRealtimeTestingApp({ imports: [RealtimeModule.forRoot({ maxHttpBufferSize: MAX_BUFFER })], providers: [MediaGateway] });
  });
  afterAll(() => rt?.close());

  it('streams every item in order, then signals completion through the ack', async () => {
    const socket = await rt.connect({ namespace: 'media' });
    const items = collect<number>(socket, 'count');
    expect(await socket.emitWithAck('count', 50)).toEqual({ done: true, count: 50 });
    await until(() => items.length === 50, 3000, 'all 50 items');
    expect(items).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('stops the producer when the client disconnects mid-stream', async () => {
    const socket = await rt.connect({ namespace: 'media' });
    const ticks = collect<number>(socket, 'tick');
    socket.emit('ticker');
    await until(() => ticks.length >= 3, 3000, 'a few ticks');
    socket.disconnect();
    await until(() => producer.tornDown, 3000, 'the producer teardown');
    const ticksAtTeardown = producer.ticks;
    await new Promise((resolve) => setTimeout(resolve, 200)); // ten more intervals
    expect(producer.ticks).toBe(ticksAtTeardown);
  });

  it('round-trips a 512 KiB buffer byte for byte', async () => {
    const socket = await rt.connect({ namespace: 'media' });
    const payload = Buffer.alloc(512 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + 7) % 256;
    const echoed = (await socket.emitWithAck('echo-binary', payload)) as Buffer;
    expect(Buffer.isBuffer(echoed)).toBe(true);
    expect(echoed.equals(payload)).toBe(true);
  });

  it('closes the connection of a client that sends more than maxHttpBufferSize, and nobody else\'s', async () => {
    const bystander = await rt.connect({ namespace: 'media' });
    const sender = await rt.connect({ namespace: 'media' });
    const reason = new Promise<string>((resolve) => sender.once('disconnect', resolve));
    sender.emit('echo-binary', Buffer.alloc(MAX_BUFFER + 1));
    expect(await reason).toBe('transport close');
    const small = Buffer.from('still fine');
    expect(((await bystander.emitWithAck('echo-binary', small)) as Buffer).equals(small)).toBe(true);
  });
});
