import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeHealthIndicator, RealtimeModule } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { HeartbeatNativeGateway } from '../support/native-ws-gateways.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';

const PING_INTERVAL = 200;
const PING_TIMEOUT = 200;
/** Room for a loaded machine on top of `pingInterval + pingTimeout`. */
const SLACK = 1000;

const bearer = (sub: string) => ({ headers: { Authorization: `Bearer ${sign({ sub })}` } });

const boot = () =>
  createRealtimeTestingApp(
    {
      imports: [
        RealtimeModule.forRoot({
          auth: { secret: SECRET },
          pingInterval: PING_INTERVAL,
          pingTimeout: PING_TIMEOUT,
          limits: { maxConnectionsPerUser: 1 },
        }),
      ],
      providers: [HeartbeatNativeGateway],
    },
    { adapter: (app) => new RealtimeWsAdapter(app) },
  );

/** Counts the pings `client` receives from now on (`ws` answers each unless `autoPong` is off). */
const pingsSeen = (client: WsTestClient) => {
  let pings = 0;
  client.socket.on('ping', () => (pings += 1));
  return () => pings;
};

describe('the heartbeat of native WebSocket connections', () => {
  let rt: RealtimeTestingApp;
  let url: string;
  const connections = () => rt.app.get(RealtimeHealthIndicator).isHealthy().realtime.connections;

  beforeAll(async () => {
    rt = await boot();
    url = `${rt.url.replace('http', 'ws')}/ws-heartbeat`;
  });
  afterAll(() => rt?.close());

  it('keeps a client that answers pings connected across several intervals', async () => {
    const client = await WsTestClient.open(url, bearer('ada'));
    const pings = pingsSeen(client);

    // Five pings span more than twice pingInterval + pingTimeout.
    await vi.waitFor(() => expect(pings()).toBeGreaterThanOrEqual(5), { timeout: 5 * PING_INTERVAL + SLACK, interval: 50 });

    expect(client.socket.readyState).toBe(client.socket.OPEN);
    expect(await client.request('ping', 'still here', 'pong')).toBe('still here');
    expect(rt.app.get(HeartbeatNativeGateway).disconnected).not.toContain('ada');
    client.close();
    await client.closed;
  });

  it('terminates a peer that stops answering within about pingInterval + pingTimeout, through the usual disconnect', async () => {
    const gateway = rt.app.get(HeartbeatNativeGateway);
    const before = connections();
    const live = await WsTestClient.open(url, bearer('grace'));
    const livePings = pingsSeen(live);
    const opened = Date.now();
    const ghost = await WsTestClient.open(url, { ...bearer('ghost'), autoPong: false });
    const ghostPings = pingsSeen(ghost);
    expect(connections()).toBe(before + 2);
    // While it is held, the vanished peer takes its user's only connection slot.
    expect((await WsTestClient.refusal(url, bearer('ghost'))).status).toBe(403);

    const { code } = await ghost.closed;
    const lasted = Date.now() - opened;

    // Destroyed without a close frame, after a ping it left unanswered for pingTimeout.
    expect(code).toBe(1006);
    expect(ghostPings()).toBeGreaterThanOrEqual(1);
    expect(lasted).toBeGreaterThanOrEqual(PING_TIMEOUT - 50);
    expect(lasted).toBeLessThan(PING_INTERVAL + PING_TIMEOUT + SLACK);
    await vi.waitFor(() => expect(gateway.disconnected).toContain('ghost'));
    expect(connections()).toBe(before + 1);

    // The slot is free again, and the client that answers was never touched.
    const back = await WsTestClient.open(url, bearer('ghost'));
    expect(await back.request('ping', 'back', 'pong')).toBe('back');
    expect(livePings()).toBeGreaterThanOrEqual(1);
    expect(await live.request('ping', 'alive', 'pong')).toBe('alive');
    expect(gateway.disconnected).not.toContain('grace');
    back.close();
    live.close();
    await Promise.all([back.closed, live.closed]);
  });
});

describe('app.close() with the heartbeat running', () => {
  it('resolves promptly while a ping is waiting for its pong', async () => {
    const rt = await boot();
    const url = `${rt.url.replace('http', 'ws')}/ws-heartbeat`;
    const live = await WsTestClient.open(url, bearer('ada'));
    const ghost = await WsTestClient.open(url, { ...bearer('ghost'), autoPong: false });
    // Both a ping round and the unanswered ping's deadline are pending from here on.
    await new Promise((resolve) => ghost.socket.once('ping', resolve));

    const closing = rt.app.close().then(() => 'closed');
    const outcome = await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 5000, 'hung'))]);

    expect(outcome).toBe('closed');
    await Promise.all([live.closed, ghost.closed]);
  });
});
