// Ported from nestjs/nest integration/websockets/e2e/ws-gateway.spec.ts (mocha/chai → vitest), run
// over Nest's WsAdapter and RealtimeWsAdapter (installed alone, as docs/guide/native-ws.md allows).
// Upstream's ports (app 3000, gateways 8080/8090) are free ports here; its one-second "open
// websockets delay" and mocha retries are gone (the tests wait for `open`); its try/catch around
// "on a different path", which let that test pass whatever happened, is gone too.
// Added: upstream's scenarios on a gateway with its own port and no path, again on a gateway
// with a path, so that the gap of the former does not hide how the rest behaves.
import { describe, expect } from 'vitest';
import type WebSocket from 'ws';
import { applicationGateway, applicationGatewayAt, coreGateway, pathGateway, serverGateway } from './gateways/app.gateways.js';
import { WS_ADAPTERS } from './support/adapters.js';
import { nextFrame, opened, sendFrame } from './support/events.js';
import { parityIt, type KnownGaps } from './support/parity.js';
import { freePort, useParityApp, wsUrl } from './support/parity-app.js';

const KNOWN_GAPS: KnownGaps = {
};

const it = parityIt(KNOWN_GAPS);

/** Upstream: open, send `{ event, data }`, read the first frame back. */
async function roundTrip(client: WebSocket, event = 'push', data: unknown = { test: 'test' }) {
  await opened(client);
  const reply = nextFrame<{ data: { test: string; path?: string } }>(client);
  sendFrame(client, event, data);
  return reply;
}

describe.each(WS_ADAPTERS)('WebSocketGateway ($name)', (adapter) => {
  const parity = useParityApp(adapter);
  const appWsUrl = (path = '') => `${parity.url.replace('http', 'ws')}${path}`;

  it(adapter, 'should handle message (2nd port)', async () => {
    const port = await freePort();
    await parity.start({ providers: [applicationGateway(port)] });
    const ws = parity.ws(wsUrl(port));
    expect((await roundTrip(ws)).data.test).toEqual('test');
  });

  it(adapter, 'should handle message (http)', async () => {
    await parity.start({ providers: [serverGateway()] });
    const ws = parity.ws(appWsUrl());
    expect((await roundTrip(ws)).data.test).toEqual('test');
  });

  it(adapter, 'should handle message on a different path', async () => {
    await parity.start({ providers: [pathGateway('/ws-path')] });
    const ws = parity.ws(appWsUrl('/ws-path'));
    expect((await roundTrip(ws)).data.test).toEqual('test');
  });

  it(adapter, 'should support 2 different gateways running on different paths', async () => {
    await parity.start({ providers: [pathGateway('/example'), pathGateway('/ws-path')] });
    const ws = parity.ws(appWsUrl('/example'));
    const ws2 = parity.ws(appWsUrl('/ws-path'));
    expect((await roundTrip(ws)).data.test).toEqual('test');
    expect((await roundTrip(ws2)).data.test).toEqual('test');
  });

  it(adapter, 'should support 2 different gateways running on the same path (but different ports)', async () => {
    const [port, port2] = [await freePort(), await freePort()];
    await parity.start({ providers: [applicationGateway(port), coreGateway(port2)] });
    const ws = parity.ws(wsUrl(port));
    const ws2 = parity.ws(wsUrl(port2));
    expect((await roundTrip(ws)).data.test).toEqual('test');
    expect((await roundTrip(ws2)).data.test).toEqual('test');
  });

  it(adapter, 'should let the execution context have a getPattern() method on getClient()', async () => {
    const port = await freePort();
    await parity.start({ providers: [applicationGateway(port)] });
    const ws = parity.ws(wsUrl(port));
    expect((await roundTrip(ws, 'getClient')).data.path).toEqual('getClient');
  });

  const arrayFrames = (data: { toString(): string }) => {
    const [event, payload] = JSON.parse(data.toString()) as [string, unknown];
    return { event, data: payload };
  };

  const setMessageParser = (wsAdapter: { setMessageParser(parser: typeof arrayFrames): void }) => wsAdapter.setMessageParser(arrayFrames);

  /** Upstream: send `['push', data]`, read the first frame back. */
  async function arrayRoundTrip(ws: WebSocket) {
    await opened(ws);
    const reply = nextFrame<{ data: { test: string } }>(ws);
    ws.send(JSON.stringify(['push', { test: 'test' }]));
    return reply;
  }

  it(adapter, 'should set messageParser by using setMessageParser method', async () => {
    const port = await freePort();
    await parity.start({ providers: [applicationGateway(port)], configureAdapter: setMessageParser });
    expect((await arrayRoundTrip(parity.ws(wsUrl(port)))).data.test).toEqual('test');
  });

  it(adapter, 'should set messageParser by using constructor options', async () => {
    const port = await freePort();
    await parity.start({ providers: [applicationGateway(port)], adapterOptions: { messageParser: arrayFrames } });
    expect((await arrayRoundTrip(parity.ws(wsUrl(port)))).data.test).toEqual('test');
  });

  {
    const where = (title: string) => `on a gateway with a path: ${title}`;

    it(adapter, where('should let the execution context have a getPattern() method on getClient()'), async () => {
      await parity.start({ providers: [applicationGatewayAt('/app')] });
      expect((await roundTrip(parity.ws(appWsUrl('/app')), 'getClient')).data.path).toEqual('getClient');
    });

    it(adapter, where('should set messageParser by using setMessageParser method'), async () => {
      await parity.start({ providers: [pathGateway('/ws-path')], configureAdapter: setMessageParser });
      expect((await arrayRoundTrip(parity.ws(appWsUrl('/ws-path')))).data.test).toEqual('test');
    });

    it(adapter, where('should set messageParser by using constructor options'), async () => {
      await parity.start({ providers: [pathGateway('/ws-path')], adapterOptions: { messageParser: arrayFrames } });
      expect((await arrayRoundTrip(parity.ws(appWsUrl('/ws-path')))).data.test).toEqual('test');
    });
  }
});

describe('known gaps', () => it.everyGapNamesATest());
