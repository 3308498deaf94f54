import { Logger } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RealtimeModule } from '../../src/index.js';
import { connectClient, createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { EchoHandler, RootEchoGateway } from '../support/echo-gateways.js';
import { freePort, openPacket, pollingHandshake } from '../support/http-probe.js';

describe('gateways on their own port', () => {
  let rt: RealtimeTestingApp | undefined;
  afterEach(() => rt?.close());

  it('applies the module options to a gateway on its own port, with and without namespace', async () => {
    const port = await freePort();
    @WebSocketGateway(port)
    class OwnPortGateway extends EchoHandler {}
    @WebSocketGateway(port, { namespace: 'side' })
    class OwnPortNamespacedGateway extends EchoHandler {}

    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ path: '/own', pingInterval: 12_345, maxHttpBufferSize: 4096 })],
      providers: [RootEchoGateway, OwnPortGateway, OwnPortNamespacedGateway],
    });
    const ownUrl = `http://127.0.0.1:${port}`;
    const open = openPacket(await pollingHandshake(ownUrl, '/own'));
    expect(open.pingInterval).toBe(12_345);
    expect(open.maxPayload).toBe(4096);

    for (const namespace of ['/', 'side']) {
      const socket = await connectClient(ownUrl, { path: '/own', namespace });
      expect(await socket.emitWithAck('echo', namespace)).toBe(namespace);
      socket.close();
    }
    // The gateway on the app's HTTP port is a separate server with the same options.
    const main = await rt.connect();
    expect(await main.emitWithAck('echo', 'main')).toBe('main');
  });
});

describe('gateways sharing one server', () => {
  let rt: RealtimeTestingApp | undefined;
  afterEach(() => {
    vi.restoreAllMocks();
    return rt?.close();
  });

  it('warns at boot when gateways sharing a server ask for different engine options', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    @WebSocketGateway({ namespace: 'small', maxHttpBufferSize: 50 })
    class SmallGateway extends EchoHandler {}
    @WebSocketGateway({ namespace: 'large', maxHttpBufferSize: 5000 })
    class LargeGateway extends EchoHandler {}

    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({})],
      providers: [SmallGateway, LargeGateway],
    });
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/namespace "\/(small|large)" shares a Socket\.IO server .*maxHttpBufferSize are ignored/),
    );
    // One server, one limit: both namespaces accept or refuse the same 100-byte message.
    const outcomes = await Promise.all(
      ['small', 'large'].map(async (namespace) => {
        const socket = await rt!.connect({ namespace });
        const closed = new Promise((resolve) => socket.once('disconnect', () => resolve('refused')));
        return Promise.race([socket.emitWithAck('echo', 'x'.repeat(100)).then(() => 'accepted'), closed]);
      }),
    );
    expect(outcomes[0]).toBe(outcomes[1]);
  });
});
