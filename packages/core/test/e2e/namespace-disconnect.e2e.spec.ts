import { WebSocketGateway, WsException } from '@nestjs/websockets';
import { Manager, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeModule, RealtimeService, type RealtimeModuleOptions } from '../../src/index.js';
import { createRealtimeTestingApp, waitForEvent, type RealtimeTestingApp } from '../../src/testing/index.js';
import { AlphaEchoGateway, BetaEchoGateway, EchoHandler } from '../support/echo-gateways.js';
import { LimitedGateway } from '../support/rate-limit-gateways.js';
import { SECRET, sign } from '../support/tokens.js';

// A browser tab multiplexes its namespace sockets over one Engine.IO connection (one Manager).
// Ending one of them on purpose must leave the tab's others connected, except for a flood.

@WebSocketGateway({ namespace: 'members-only' })
class MembersOnlyGateway extends EchoHandler {
  handleConnection() {
    throw new WsException({ code: 'FORBIDDEN', message: 'Members only' });
  }
}

/** One namespace socket of a tab, with everything it was told and why it was disconnected. */
interface TabSocket {
  socket: Socket;
  events: [string, unknown][];
  disconnects: string[];
  disconnected: Promise<string>;
}

/** Opens namespace sockets over one Manager, listening before the handshake so nothing is missed. */
class Tab {
  readonly manager: Manager;
  private readonly sockets: Socket[] = [];

  constructor(url: string) {
    this.manager = new Manager(url, { transports: ['websocket'], reconnection: false, autoConnect: false });
  }

  open(namespace: string, token: string): TabSocket {
    const socket = this.manager.socket(namespace, { auth: { token } });
    this.sockets.push(socket);
    const events: [string, unknown][] = [];
    const disconnects: string[] = [];
    socket.onAny((event, payload) => events.push([event, payload]));
    const disconnected = new Promise<string>((resolve) =>
      socket.on('disconnect', (reason) => {
        disconnects.push(reason);
        resolve(reason);
      }),
    );
    socket.connect();
    return { socket, events, disconnects, disconnected };
  }

  async connect(namespace: string, token: string): Promise<TabSocket> {
    const opened = this.open(namespace, token);
    await new Promise<void>((resolve, reject) => opened.socket.once('connect', resolve).once('connect_error', reject));
    return opened;
  }

  close(): void {
    // The Manager closes its connection once none of its sockets is active.
    for (const socket of this.sockets) socket.close();
  }
}

/** The tab's surviving namespace socket: connected, never disconnected, and still answering. */
async function expectStillServing(survivor: TabSocket): Promise<void> {
  expect(survivor.socket.connected).toBe(true);
  expect(await survivor.socket.timeout(3000).emitWithAck('echo', 'still here')).toBe('still here');
  expect(survivor.disconnects).toEqual([]);
}

const tokenFor = (sub: string) => sign({ sub });

describe('a server-side disconnect of one namespace socket leaves the tab’s others connected', () => {
  let rt: RealtimeTestingApp;
  const tabs: Tab[] = [];
  const newTab = () => {
    const tab = new Tab(rt.url);
    tabs.push(tab);
    return tab;
  };

  beforeAll(async () => {
    rt = await createRealtimeTestingApp({
      imports: [
        RealtimeModule.forRoot({
          auth: { secret: SECRET, expiringNoticeMs: 500, refreshGraceMs: 200 },
          limits: { maxConnectionsPerUser: 2, overConnectionLimit: 'close-oldest' },
        }),
      ],
      providers: [AlphaEchoGateway, BetaEchoGateway, MembersOnlyGateway],
    });
  });
  afterEach(() => {
    for (const tab of tabs.splice(0)) tab.close();
  });
  afterAll(() => rt?.close());

  it('close-oldest: only the oldest namespace socket is told and disconnected', async () => {
    const tab = newTab();
    const oldest = await tab.connect('/alpha', tokenFor('ada'));
    const sibling = await tab.connect('/beta', tokenFor('ada'));
    const told = waitForEvent(oldest.socket, 'realtime:disconnected');

    const newest = await rt.connect({ namespace: 'alpha', user: { id: 'ada' } });

    expect(await told).toEqual({ reason: 'too_many_connections' });
    expect(await oldest.disconnected).toBe('io server disconnect');
    await expectStillServing(sibling);
    expect(sibling.events).toEqual([]);
    expect(await newest.emitWithAck('echo', 'newest')).toBe('newest');
  });

  it('token expiry: only the namespace socket whose token expired is told and disconnected', async () => {
    const tab = newTab();
    const expiring = await tab.connect('/alpha', sign({ sub: 'bob', exp: Math.floor(Date.now() / 1000) + 2 }));
    const sibling = await tab.connect('/beta', tokenFor('bob'));

    expect(await waitForEvent(expiring.socket, 'auth:expired', 6000)).toEqual({ expiresAt: expect.any(Number) });
    expect(await expiring.disconnected).toBe('io server disconnect');
    await expectStillServing(sibling);
  });

  it('a failed handleConnection: only that namespace socket gets the error and is disconnected', async () => {
    const tab = newTab();
    const sibling = await tab.connect('/alpha', tokenFor('carol'));
    const refused = tab.open('/members-only', tokenFor('carol'));

    expect(await refused.disconnected).toBe('io server disconnect');
    expect(refused.events).toEqual([
      ['exception', { status: 'error', code: 'FORBIDDEN', message: 'Members only', event: 'connection', requestId: expect.any(String) }],
    ]);
    await expectStillServing(sibling);
  });

  it('disconnectUser() with a namespace: only the user’s sockets there are told and disconnected', async () => {
    const tab = newTab();
    const target = await tab.connect('/alpha', tokenFor('dora'));
    const sibling = await tab.connect('/beta', tokenFor('dora'));
    const told = waitForEvent(target.socket, 'realtime:disconnected');

    await rt.app.get(RealtimeService).disconnectUser('dora', 'left the channel', { namespace: '/alpha' });

    expect(await told).toEqual({ reason: 'left the channel' });
    expect(await target.disconnected).toBe('io server disconnect');
    await expectStillServing(sibling);
  });

  it('disconnectUser() without a namespace: every socket of the tab is told and disconnected', async () => {
    const tab = newTab();
    const sockets = [await tab.connect('/alpha', tokenFor('erin')), await tab.connect('/beta', tokenFor('erin'))];
    const told = sockets.map(({ socket }) => waitForEvent(socket, 'realtime:disconnected'));

    await rt.app.get(RealtimeService).disconnectUser('erin', 'account suspended');

    expect(await Promise.all(told)).toEqual([{ reason: 'account suspended' }, { reason: 'account suspended' }]);
    expect(await Promise.all(sockets.map(({ disconnected }) => disconnected))).toEqual(['io server disconnect', 'io server disconnect']);
  });
});

describe('rateLimit.disconnectAfter ends the flooding tab’s whole connection', () => {
  const options: RealtimeModuleOptions = { auth: { secret: SECRET }, rateLimit: { points: 3, durationMs: 60_000, disconnectAfter: 2 } };
  let rt: RealtimeTestingApp;
  let tab: Tab | undefined;
  beforeAll(async () => {
    rt = await createRealtimeTestingApp({ imports: [RealtimeModule.forRoot(options)], providers: [LimitedGateway, AlphaEchoGateway] });
  });
  afterAll(() => {
    tab?.close();
    return rt?.close();
  });

  // Disconnecting the namespace alone would let the client come back over the same connection at
  // once with a fresh budget, past `limits.handshakesPerIp`: coming back takes a new handshake.
  it('tells the flooding namespace socket why, and disconnects every namespace socket of its connection', async () => {
    tab = new Tab(rt.url);
    const flooder = await tab.connect('/limited', tokenFor('fred'));
    const sibling = await tab.connect('/alpha', tokenFor('fred'));
    const told = waitForEvent(flooder.socket, 'realtime:disconnected');

    for (let i = 0; i < 5; i++) flooder.socket.emit('echo', i);

    expect(await told).toEqual({ reason: 'rate_limited' });
    expect(await flooder.disconnected).toBe('io server disconnect');
    expect(await sibling.disconnected).toBe('io server disconnect');
    expect(sibling.events).toEqual([]);

    // The server is fine: a new connection is served.
    const next = await rt.connect({ namespace: 'alpha', user: { id: 'fred' } });
    expect(await next.emitWithAck('echo', 'back')).toBe('back');
  });
});
