import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeIoAdapter, RealtimeModule } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { RootEchoGateway } from '../support/echo-gateways.js';
import { ClashingNativeGateway, NativeGateway, PathlessNativeGateway, RefusingNativeGateway } from '../support/native-ws-gateways.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';
import { WS_CLOSE_REFUSED } from '../../src/protocol/index.js';

const bearer = (sub: string) => ({ headers: { Authorization: `Bearer ${sign({ sub })}` } });

describe('RealtimeWsAdapter on its own (native gateways only)', () => {
  let rt: RealtimeTestingApp;
  let wsUrl: (path: string) => string;

  beforeAll(async () => {
    rt = await createRealtimeTestingApp(
      {
        imports: [RealtimeModule.forRoot({ path: '/live', auth: { secret: SECRET } })],
        providers: [PathlessNativeGateway, NativeGateway, RefusingNativeGateway],
      },
      { adapter: (app) => new RealtimeWsAdapter(app) },
    );
    wsUrl = (path) => `${rt.url.replace('http', 'ws')}${path}`;
  });
  afterAll(() => rt?.close());

  it("serves a gateway without a path on '/', as Nest's WsAdapter does (not on the module's Socket.IO path), and one with a path on its own", async () => {
    await expect(WsTestClient.open(wsUrl('/live'), bearer('ada'))).rejects.toThrow();
    const live = await WsTestClient.open(wsUrl(''), bearer('ada'));
    const own = await WsTestClient.open(wsUrl('/ws'), bearer('ada'));
    expect(await live.request('ping', 1, 'pong')).toBe(1);
    expect(await own.request('whoami', null)).toMatchObject({ id: 'ada' });
    live.close();
    own.close();
  });

  it('refuses upgrades on paths no gateway serves', async () => {
    await expect(WsTestClient.open(wsUrl('/nowhere'), bearer('ada'))).rejects.toThrow();
  });

  it('sends a failed handleConnection as the contract (event "connection") and closes with 4000', async () => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const client = await WsTestClient.open(wsUrl('/ws-refusing'), bearer('ada'));
    const exception = await client.next('exception');
    expect(exception.data).toMatchObject({ status: 'error', code: 'INTERNAL', message: 'Internal server error', event: 'connection' });
    expect(JSON.stringify(exception.data)).not.toContain('10.0.0.5');
    expect((await client.closed).code).toBe(WS_CLOSE_REFUSED);
    vi.restoreAllMocks();
  });
});

describe('native gateways beside Socket.IO: boot errors', () => {
  it("refuses a transport: 'ws' gateway when RealtimeIoAdapter has no native adapter, saying how to add one", async () => {
    await expect(
      createRealtimeTestingApp({ imports: [RealtimeModule.forRoot({})], providers: [RootEchoGateway, NativeGateway] }),
    ).rejects.toThrow(/transport: 'ws'.*new RealtimeIoAdapter\(app, \{ nativeWs: new RealtimeWsAdapter\(app\) \}\)/);
  });

  it('refuses a native gateway on the Socket.IO path', async () => {
    await expect(
      createRealtimeTestingApp(
        { imports: [RealtimeModule.forRoot({})], providers: [RootEchoGateway, ClashingNativeGateway] },
        { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
      ),
    ).rejects.toThrow(/needs its own path, outside the Socket\.IO path \/socket\.io/);
  });
});
