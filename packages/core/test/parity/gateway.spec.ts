// Ported from nestjs/nest integration/websockets/e2e/gateway.spec.ts (mocha/chai → vitest), run
// over Nest's IoAdapter and RealtimeIoAdapter. Upstream's ports (app 3000, gateways 8080) are free
// ports here. "should block application shutdown" waited 25 s upstream before checking that the
// shutdown hook had not run; here it checks once the gateway's sockets are closed and the
// long-running stream has delivered one more message, then lets the app close.
import type { Socket } from 'socket.io-client';
import { describe, expect } from 'vitest';
import { applicationGateway, namespaceGateway, serverGateway } from './gateways/app.gateways.js';
import { SOCKET_IO_ADAPTERS } from './support/adapters.js';
import { nextEvent } from './support/events.js';
import { parityIt, type KnownGaps } from './support/parity.js';
import { freePort, httpUrl, useParityApp } from './support/parity-app.js';
import { LongConnectionController, SseClient } from './support/sse.js';

const KNOWN_GAPS: KnownGaps = {};

const it = parityIt(KNOWN_GAPS);

const connected = (socket: Socket) =>
  new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });

describe.each(SOCKET_IO_ADAPTERS)('WebSocketGateway on $name', (adapter) => {
  const parity = useParityApp(adapter);

  it(adapter, 'should handle message (2nd port)', async () => {
    const port = await freePort();
    await parity.start({ providers: [applicationGateway(port)] });
    const ws = parity.io(httpUrl(port));
    const pop = nextEvent<{ test: string }>(ws, 'pop');
    ws.emit('push', { test: 'test' });
    expect((await pop).test).toEqual('test');
  });

  it(adapter, 'should handle message (http)', async () => {
    await parity.start({ providers: [serverGateway()] });
    const ws = parity.io(parity.url);
    const pop = nextEvent<{ test: string }>(ws, 'pop');
    ws.emit('push', { test: 'test' });
    expect((await pop).test).toEqual('test');
  });

  it(adapter, 'should handle message (2 gateways)', async () => {
    const port = await freePort();
    await parity.start({ providers: [applicationGateway(port), namespaceGateway(port)] });
    const ws = parity.io(httpUrl(port));
    parity.io(httpUrl(port, '/test')).emit('push', {});
    const pop = nextEvent<{ test: string }>(ws, 'pop');
    ws.emit('push', { test: 'test' });
    expect((await pop).test).toEqual('test');
  });

  it(adapter, 'should be able to get the pattern in an interceptor', async () => {
    const port = await freePort();
    await parity.start({ providers: [applicationGateway(port)] });
    const ws = parity.io(httpUrl(port));
    const popClient = nextEvent<{ path: string }>(ws, 'popClient');
    ws.emit('getClient', { test: 'test' });
    expect((await popClient).path).toEqual('getClient');
  });

  it(adapter, 'should be able to get the pattern in a filter (when the error comes from a known handler)', async () => {
    const port = await freePort();
    await parity.start({ providers: [applicationGateway(port)] });
    const ws = parity.io(httpUrl(port));
    const exception = nextEvent<{ pattern: string }>(ws, 'exception');
    ws.emit('getClientWithError', { test: 'test' });
    expect((await exception).pattern).toEqual('getClientWithError');
  });

  describe('shared server for WS and Long-Running connections', () => {
    it(adapter, 'should block application shutdown', async () => {
      const ServerGateway = serverGateway();
      const app = await parity.start({ providers: [ServerGateway], controllers: [LongConnectionController] });
      const ws = parity.io(parity.url);
      await connected(ws);
      const sse = await SseClient.open(`${parity.url}/sse`);

      const closing = app.close();
      await nextEvent(ws, 'disconnect');
      await sse.nextMessage();
      const instance = app.get(ServerGateway);
      expect(instance.onApplicationShutdown).not.toHaveBeenCalled();

      sse.close();
      await closing;
      expect(instance.onApplicationShutdown).toHaveBeenCalled();
    });

    it(adapter, 'should shutdown application immediately when forceCloseConnections is true', async () => {
      const ServerGateway = serverGateway();
      const app = await parity.start({
        providers: [ServerGateway],
        controllers: [LongConnectionController],
        appOptions: { forceCloseConnections: true },
      });
      const ws = parity.io(parity.url);
      await connected(ws);
      const sse = await SseClient.open(`${parity.url}/sse`);

      await app.close();

      expect(app.get(ServerGateway).onApplicationShutdown).toHaveBeenCalled();
      sse.close();
    });
  });
});

describe('known gaps', () => it.everyGapNamesATest());
