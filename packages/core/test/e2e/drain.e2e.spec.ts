import { describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { RealtimeIoAdapter, RealtimeModule } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, waitForEvent } from '../../src/testing/index.js';
import { AlphaEchoGateway, RootEchoGateway } from '../support/echo-gateways.js';
import { NativeGateway } from '../support/native-ws-gateways.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';
import { DRAINING_EVENT } from '../../src/protocol/index.js';

/** What one client saw of the drain, in order. */
function record(socket: Socket): string[] {
  const seen: string[] = [];
  socket.on(DRAINING_EVENT, (notice: { reconnectDelayMs: number }) => seen.push(`draining ${notice.reconnectDelayMs}`));
  socket.on('disconnect', (reason) => seen.push(`disconnect ${reason}`));
  return seen;
}

describe('graceful drain on app.close()', () => {
  it('refuses new connections, tells every client, then disconnects them in batches', async () => {
    const rt = await createRealtimeTestingApp(
      {
        imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, drain: { timeoutMs: 3000, batchSize: 10, reconnectDelayMs: 1500 } })],
        providers: [RootEchoGateway, AlphaEchoGateway, NativeGateway],
      },
      { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
    );
    const sockets = await Promise.all(
      Array.from({ length: 30 }, (_, i) => rt.connect({ namespace: i % 2 ? 'alpha' : '/', user: { id: `u${i}` } })),
    );
    const seen = sockets.map(record);
    const native = await WsTestClient.open(`${rt.url.replace('http', 'ws')}/ws`, { headers: { Authorization: `Bearer ${sign({ sub: 'device' })}` } });
    const allGone = Promise.all(sockets.map((socket) => new Promise((resolve) => socket.once('disconnect', resolve))));

    const draining = waitForEvent(sockets[0], DRAINING_EVENT);
    const closing = rt.app.close();
    expect(await draining).toEqual({ reconnectDelayMs: 1500 });

    // Draining has begun: a new client is refused on both transports.
    await expect(rt.connect({ user: { id: 'late' } })).rejects.toThrow();
    const lateNative = await WsTestClient.refusal(`${rt.url.replace('http', 'ws')}/ws`, { headers: { Authorization: `Bearer ${sign({ sub: 'late' })}` } });
    expect(lateNative).toMatchObject({ status: 503, opened: false, body: { code: 'UNAVAILABLE' } });

    await closing;
    await allGone;
    // `transport close`, not `io server disconnect`: clients reconnect by themselves, to another instance.
    for (const events of seen) expect(events).toEqual(['draining 1500', 'disconnect transport close']);
    expect((await native.next(DRAINING_EVENT)).data).toEqual({ reconnectDelayMs: 1500 });
    expect(await native.closed).toEqual({ code: 1001, reason: 'server draining' });
  });
});
