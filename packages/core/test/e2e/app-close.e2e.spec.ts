import { WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { RealtimeModule } from '../../src/index.js';
import { connectClient, createRealtimeTestingApp } from '../../src/testing/index.js';
import { AlphaEchoGateway, EchoHandler, RootEchoGateway } from '../support/echo-gateways.js';
import { freePort } from '../support/http-probe.js';

const disconnectReason = (socket: Socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve));

/** Resolves with 'closed', or with 'hung' if `promise` has not settled after `ms`. */
const settlesWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, ms, 'hung'))]);

describe('app.close()', () => {
  it('resolves while clients are still connected, on every transport and server', async () => {
    const ownPort = await freePort();
    @WebSocketGateway(ownPort)
    class OwnPortGateway extends EchoHandler {}

    const rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({})],
      providers: [RootEchoGateway, AlphaEchoGateway, OwnPortGateway],
    });
    const clients = [
      await connectClient(rt.url, { transports: ['websocket'] }),
      await connectClient(rt.url, { transports: ['polling'] }),
      await connectClient(rt.url, { namespace: 'alpha', transports: ['polling', 'websocket'] }),
      await connectClient(`http://127.0.0.1:${ownPort}`, { transports: ['websocket'] }),
    ];
    for (const client of clients) expect(await client.emitWithAck('echo', 'up')).toBe('up');
    const reasons = Promise.all(clients.map(disconnectReason));

    expect(await settlesWithin(rt.app.close(), 5000)).toBe('closed');

    // Not "io server disconnect": the clients are free to reconnect to another instance. A polling
    // client whose pending request the closing server cuts sees "transport error": it reconnects too.
    expect(await reasons).toEqual(clients.map(() => expect.stringMatching(/^transport (close|error)$/)));
    // Both ports are released.
    const appPort = Number(new URL(rt.url).port);
    await expect(connectClient(rt.url, { timeoutMs: 1000 })).rejects.toThrow();
    await expect(connectClient(`http://127.0.0.1:${ownPort}`, { timeoutMs: 1000 })).rejects.toThrow();
    expect(appPort).toBeGreaterThan(0);
  });
});
