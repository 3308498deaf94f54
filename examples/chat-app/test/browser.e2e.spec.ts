import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectClient, freePort, redisForTests } from '@nestjs-realtime/core/testing';
import { chromium, type Browser, type Page, type WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startApp, waitForOutput, type Started } from './support/app-process.js';
import { TcpProxy } from './support/tcp-proxy.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts');
/** Keeps every text `#status` shows, in order, in `window.statuses`: what the user saw, not only the last state. */
const RECORD_STATUSES = `document.addEventListener('DOMContentLoaded', () => {
  const status = document.querySelector('#status');
  const seen = (window.statuses = [status.textContent]);
  new MutationObserver((records) => records.forEach((record) => record.addedNodes.forEach((node) => seen.push(node.textContent)))).observe(status, { childList: true });
});`;

describe('the example in a real browser', () => {
  let app: Started;
  let port: number;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    port = await freePort();
    app = startApp({ PORT: String(port) });
    await waitForOutput(app, /listening on/);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (app?.child.exitCode === null) app.child.kill('SIGTERM');
  });

  /** `beforeLoad` runs on the new page before it opens the app, e.g. to route its WebSocket. */
  async function signIn(name: string, atPort = port, beforeLoad?: (page: Page) => Promise<unknown>): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 720 } })).newPage();
    await page.addInitScript(RECORD_STATUSES);
    await beforeLoad?.(page);
    await page.goto(`http://127.0.0.1:${atPort}/`);
    await page.fill('#name', name);
    await page.click('#signin');
    await page.waitForSelector(`#status:has-text("connected as ${name}")`);
    return page;
  }

  async function joinRoom(page: Page, room: string) {
    await page.fill('#room-input', room);
    await page.click('#join');
    await page.waitForSelector(`#rooms li[data-room="${room}"]`);
  }

  async function say(page: Page, text: string) {
    await page.fill('#message-input', text);
    await page.click('#send');
  }

  /** Every text the page's `#status` has shown. */
  function statuses(page: Page): Promise<string[]> {
    return page.evaluate(() => (globalThis as unknown as { statuses: string[] }).statuses);
  }

  /** Resolves once the page has shown `reconnecting…` after its `since`-th status, and is connected again. */
  async function reconnected(page: Page, name: string, since: number): Promise<void> {
    await page.waitForFunction(
      ([since, name]) => {
        const seen = (globalThis as unknown as { statuses: string[] }).statuses.slice(Number(since));
        return seen.includes('reconnecting…') && seen[seen.length - 1] === `connected as ${name}`;
      },
      [since, name],
      { timeout: 20_000 },
    );
  }

  /** `user · N device(s)` for each user in the presence list of the page's current room. */
  async function presenceOf(page: Page): Promise<string[]> {
    return (await page.locator('#presence li').allTextContents()).sort();
  }

  /**
   * The arrival and departure notices of the page's current room, per user. A reconnect, on either
   * side, is no arrival: the same user is never announced twice in a row as joined (or as left),
   * and the last notice of each user matches who is there now. `me` is never announced to itself.
   */
  async function expectConsistentNotices(page: Page, me: string, present: string[]): Promise<Map<string, string[]>> {
    const byUser = new Map<string, string[]>();
    for (const notice of await page.locator('#activity li').allTextContents()) {
      const [, user, what] = /^(.+) (joined|left)$/.exec(notice) ?? [notice, notice, ''];
      byUser.set(user!, [...(byUser.get(user!) ?? []), what!]);
    }
    expect(byUser.has(me)).toBe(false);
    for (const [user, notices] of byUser) {
      expect(notices.filter((what, i) => what === notices[i - 1]), `${user}: ${notices.join(', ')}`).toEqual([]);
      expect(notices.at(-1), `${user}: ${notices.join(', ')}`).toBe(present.includes(user) ? 'joined' : 'left');
    }
    return byUser;
  }

  it('two users chat in a room, see each other in its presence list, and a leaving tab leaves the list', async () => {
    const alice = await signIn('alice');
    const bob = await signIn('bob');
    await joinRoom(alice, 'general');
    await joinRoom(bob, 'general');

    await alice.waitForSelector('#presence li[data-user="bob"]');
    await bob.waitForSelector('#presence li[data-user="alice"]');
    expect(await alice.textContent('#presence li[data-user="alice"] .devices')).toContain('1 device');

    await say(alice, 'hello bob');
    await bob.waitForSelector('#log li:has-text("hello bob")');
    await say(bob, 'hi alice');
    await alice.waitForSelector('#log li:has-text("hi alice")');
    expect(await alice.locator('#log li').allTextContents()).toEqual(['alicehello bob', 'bobhi alice']);

    // A second tab of alice: still one user, now with two devices (presence:update says so, no polling).
    const aliceTab2 = await signIn('alice');
    await joinRoom(aliceTab2, 'general');
    await bob.waitForSelector('#presence li[data-user="alice"] .devices:has-text("2 devices")', { timeout: 10_000 });
    expect(await bob.locator('#presence li').count()).toBe(2);
    // alice was there before bob, and her second tab is no arrival.
    expect(await bob.locator('#activity li').allTextContents()).toEqual([]);
    await bob.screenshot({ path: join(ARTIFACTS, 'chat-presence.png') });

    await bob.context().close();
    await alice.waitForSelector('#presence li[data-user="bob"]', { state: 'detached', timeout: 10_000 });
    expect(await alice.locator('#presence li').allTextContents()).toEqual([expect.stringContaining('alice')]);
    expect(await alice.locator('#activity li').allTextContents()).toEqual(['bob joined', 'bob left']);
    await alice.screenshot({ path: join(ARTIFACTS, 'chat-after-bob-left.png') });
    await aliceTab2.context().close();
    await alice.context().close();
  }, 60_000);

  it('shows a message whose value is not text without breaking the page', async () => {
    // The server refuses such a message (chat.e2e.spec.ts); the page must not rely on that, e.g. while an
    // older instance still relays it. The route plays that instance: it passes the page's WebSocket
    // through and, once Engine.IO's upgrade ("5") is done, hands the test the page side to inject into.
    let upgradedTo!: (route: WebSocketRoute) => void;
    const upgraded = new Promise<WebSocketRoute>((resolve) => (upgradedTo = resolve));
    const pageErrors: Error[] = [];
    const frank = await signIn('frank', port, async (page) => {
      page.on('pageerror', (error) => pageErrors.push(error));
      await page.routeWebSocket(/\/socket\.io\//, (toPage) => {
        const toServer = toPage.connectToServer();
        toPage.onMessage((message) => {
          toServer.send(message);
          if (message === '5') upgradedTo(toPage);
        });
      });
    });
    await joinRoom(frank, 'hostile');
    const mallory = await connectClient(`http://127.0.0.1:${port}`, { namespace: 'chat', auth: { token: await login(port, 'Mallory') } });
    await mallory.emitWithAck('joinRoom', { room: 'hostile' });

    const hostile = { toString: 'boom' }; // String() of it throws
    expect(await mallory.emitWithAck('msgToRoom', { room: 'hostile', message: hostile })).toMatchObject({ code: 'BAD_REQUEST' });
    const from = { userId: 'mallory', connectionId: mallory.id };
    (await upgraded).send(`42/chat,${JSON.stringify(['msgToRoom', { room: 'hostile', from, message: hostile, at: new Date().toISOString() }])}`);
    await frank.waitForSelector('#log li:has-text("toString")');
    await mallory.emitWithAck('msgToRoom', { room: 'hostile', message: '<b>still</b> readable' });
    await frank.waitForSelector('#log li:has-text("still</b> readable")');

    expect(await frank.locator('#log li').allTextContents()).toEqual(['mallory{"toString":"boom"}', 'mallory<b>still</b> readable']);
    expect(await frank.locator('#log b').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    mallory.close();
    await frank.context().close();
  }, 30_000);

  it('refreshes a token that is about to expire on the live connection: says so, never shows a reconnect, the server sees no new connection', async () => {
    // Demo tokens live 35 s and the app warns 30 s ahead: auth:expiring comes ~5 s after sign-in.
    const shortPort = await freePort();
    const shortLived = startApp({ PORT: String(shortPort), DEMO_TOKEN_TTL_SECONDS: '35' });
    try {
      await waitForOutput(shortLived, /listening on/);
      // The server's answer to each connection's auth:refresh: `43/<namespace>,<id>[{"status":"ok","expiresAt":…}]`.
      const accepted = new Set<string>();
      let bothAccepted!: () => void;
      const refreshesAccepted = new Promise<void>((resolve) => (bothAccepted = resolve));
      const page = await signIn('erin', shortPort, async (page) =>
        page.on('websocket', (socket) =>
          socket.on('framereceived', ({ payload }) => {
            const ack = /^43(\/\w+),\d+\[\{"status":"ok","expiresAt":\d+\}\]$/.exec(String(payload));
            if (ack) accepted.add(ack[1]!);
            if (accepted.size === 2) bothAccepted();
          }),
        ),
      );
      const connections = () => shortLived.output().match(/Connected: \S+ \(user erin\)/g)?.length ?? 0;
      await waitForOutput(shortLived, /Connected: \S+ \(user erin\)[\s\S]*Connected: \S+ \(user erin\)/); // chat and notifications

      await page.waitForSelector('#status:has-text("token refreshed for erin")', { timeout: 15_000 });
      await refreshesAccepted;
      expect([...accepted].sort()).toEqual(['/chat', '/notifications']);
      await joinRoom(page, 'after-refresh'); // the refreshed connection keeps working

      expect((await statuses(page)).filter((status) => /reconnecting|signed out \(|refused|disconnected/.test(status))).toEqual([]);
      expect(connections()).toBe(2);
      expect(shortLived.output()).not.toMatch(/Disconnected: \S+ \(user erin/);
      await page.context().close();
    } finally {
      shortLived.child.kill('SIGTERM');
    }
  }, 40_000);

  it('shows a notification posted over HTTP', async () => {
    const dana = await signIn('dana');
    const response = await fetch(`http://127.0.0.1:${port}/notifications/dana`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await login(port, 'Carol')}` },
      body: JSON.stringify({ text: 'Your build is green' }),
    });
    expect(response.status).toBe(202);
    await dana.waitForSelector('#notifications li:has-text("Carol: Your build is green")');
    await dana.screenshot({ path: join(ARTIFACTS, 'notification.png') });
    await dana.context().close();
  }, 30_000);

  it('works across two instances on Redis: presence, messages and notifications cross over', async () => {
    const redis = await redisForTests();
    const [portA, portB] = [await freePort(), await freePort()];
    const env = { REDIS_URL: redis.url, JWT_SECRET: 'browser-test-shared-secret-0123456789abcdef' };
    const instances = [startApp({ ...env, PORT: String(portA) }), startApp({ ...env, PORT: String(portB) })];
    try {
      await Promise.all(instances.map((instance) => waitForOutput(instance, /listening on/)));
      const alice = await signIn('alice', portA);
      const bob = await signIn('bob', portB);
      await joinRoom(alice, 'general');
      await joinRoom(bob, 'general');
      await alice.waitForSelector('#presence li[data-user="bob"]');
      await bob.waitForSelector('#presence li[data-user="alice"]');

      await say(bob, 'from instance B');
      await alice.waitForSelector('#log li:has-text("from instance B")');
      await alice.screenshot({ path: join(ARTIFACTS, 'two-instances.png') });

      // Posted to B, delivered to alice through A.
      await fetch(`http://127.0.0.1:${portB}/notifications/alice`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await login(portB, 'Bob')}` },
        body: JSON.stringify({ text: 'crossed over' }),
      });
      await alice.waitForSelector('#notifications li:has-text("Bob: crossed over")');

      await bob.context().close();
      await alice.waitForSelector('#presence li[data-user="bob"]', { state: 'detached', timeout: 10_000 });
      await alice.context().close();
    } finally {
      instances.forEach((instance) => instance.child.kill('SIGTERM'));
      await redis.stop();
    }
  }, 60_000);

  it('comes back from a server restart: both tabs rejoin their rooms, with the right presence and no repeated notices', async () => {
    const restartPort = await freePort();
    // A restart keeps the configuration, the JWT secret included (unset, each process picks its own
    // and every token dies with the process: the tabs would be signed out).
    const env = { PORT: String(restartPort), JWT_SECRET: 'browser-test-restart-secret-0123456789abcdef' };
    let server = startApp(env);
    const pageErrors: Error[] = [];
    const onErrors = async (page: Page) => page.on('pageerror', (error) => pageErrors.push(error));
    try {
      await waitForOutput(server, /listening on/);
      const alice = await signIn('alice', restartPort, onErrors);
      const bob = await signIn('bob', restartPort, onErrors);
      await joinRoom(alice, 'ops');
      await joinRoom(alice, 'general');
      await joinRoom(bob, 'general');
      await alice.waitForSelector('#activity li:has-text("bob joined")');
      const [aliceSince, bobSince] = [(await statuses(alice)).length, (await statuses(bob)).length];

      // Stopped as a deploy stops it, then started again on the same port.
      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: null, signal: 'SIGTERM' });
      server = startApp(env);
      await waitForOutput(server, /listening on/);
      await reconnected(alice, 'alice', aliceSince);
      await reconnected(bob, 'bob', bobSince);

      // A newcomer to the new process: alice and bob are in its rooms only if they joined them again,
      // and it shows up in their lists only if their connections are in those rooms on this process.
      const carol = await signIn('carol', restartPort, onErrors);
      await joinRoom(carol, 'ops');
      await alice.click('#rooms li[data-room="ops"]');
      await alice.waitForSelector('#presence li[data-user="carol"]');
      expect(await presenceOf(alice)).toEqual(['alice · 1 device', 'carol · 1 device']);
      await alice.click('#rooms li[data-room="general"]');
      await joinRoom(carol, 'general');
      for (const user of ['alice', 'bob']) await carol.waitForSelector(`#presence li[data-user="${user}"]`);
      for (const page of [alice, bob]) await page.waitForSelector('#presence li[data-user="carol"]');
      for (const page of [alice, bob, carol]) {
        expect(await presenceOf(page)).toEqual(['alice · 1 device', 'bob · 1 device', 'carol · 1 device']);
      }
      expect(await alice.locator('#rooms li').evaluateAll((items) => items.map((item) => item.getAttribute('data-room')))).toEqual(['ops', 'general']);

      expect((await expectConsistentNotices(alice, 'alice', ['bob', 'carol'])).get('carol')).toEqual(['joined']);
      expect((await expectConsistentNotices(bob, 'bob', ['alice', 'carol'])).get('carol')).toEqual(['joined']);
      await say(alice, 'back after the restart');
      for (const page of [bob, carol]) await page.waitForSelector('#log li:has-text("back after the restart")');
      await alice.screenshot({ path: join(ARTIFACTS, 'after-restart.png') });

      for (const page of [alice, bob]) expect((await statuses(page)).filter((status) => /signed out \(|refused/.test(status))).toEqual([]);
      expect(pageErrors).toEqual([]);
      for (const page of [alice, bob, carol]) await page.context().close();
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGTERM');
    }
  }, 60_000);

  it('moves the tabs off a draining instance to another one on Redis: they rejoin there, and the others see no repeated arrivals', async () => {
    const redis = await redisForTests();
    const [portA, portB] = [await freePort(), await freePort()];
    const env = { REDIS_URL: redis.url, JWT_SECRET: 'browser-test-drain-secret-0123456789abcdef' };
    const [instanceA, instanceB] = [startApp({ ...env, PORT: String(portA) }), startApp({ ...env, PORT: String(portB) })];
    // alice and bob reach the app through one address, a load balancer sending them to A for now.
    const balancer = await TcpProxy.start(portA);
    try {
      await Promise.all([instanceA, instanceB].map((instance) => waitForOutput(instance, /listening on/)));
      const alice = await signIn('alice', balancer.port);
      const bob = await signIn('bob', balancer.port);
      const carol = await signIn('carol', portB); // watches from B
      for (const page of [alice, bob, carol]) await joinRoom(page, 'general');
      for (const user of ['alice', 'bob']) await carol.waitForSelector(`#presence li[data-user="${user}"]`);
      await waitForOutput(instanceA, /Connected: \S+ \(user alice\)[\s\S]*Connected: \S+ \(user bob\)/);
      expect(instanceB.output()).not.toMatch(/Connected: \S+ \(user (alice|bob)\)/);
      const [aliceSince, bobSince] = [(await statuses(alice)).length, (await statuses(bob)).length];

      // A deploy: the balancer sends new connections to B, then A is told to stop.
      balancer.routeTo(portB);
      instanceA.child.kill('SIGTERM');
      expect(await instanceA.exited).toEqual({ code: null, signal: 'SIGTERM' });
      expect(instanceA.output()).toMatch(/Drained \d+ client\(s\)/);
      await reconnected(alice, 'alice', aliceSince);
      await reconnected(bob, 'bob', bobSince);
      await waitForOutput(instanceB, /Connected: \S+ \(user alice\)/);
      await waitForOutput(instanceB, /Connected: \S+ \(user bob\)/);

      // A newcomer on B: it shows up in alice's and bob's lists only once they are in the room on B (A is gone).
      const dave = await signIn('dave', portB);
      await joinRoom(dave, 'general');
      for (const page of [alice, bob]) await page.waitForSelector('#presence li[data-user="dave"]');
      for (const user of ['alice', 'bob', 'carol']) await dave.waitForSelector(`#presence li[data-user="${user}"]`);
      const everyone = ['alice · 1 device', 'bob · 1 device', 'carol · 1 device', 'dave · 1 device'];
      for (const page of [alice, bob, carol, dave]) expect(await presenceOf(page)).toEqual(everyone);

      await say(alice, 'moved to B');
      for (const page of [bob, carol, dave]) await page.waitForSelector('#log li:has-text("moved to B")');
      await expectConsistentNotices(carol, 'carol', ['alice', 'bob', 'dave']);
      await expectConsistentNotices(alice, 'alice', ['bob', 'carol', 'dave']);
      await alice.screenshot({ path: join(ARTIFACTS, 'drained-to-another-instance.png') });
      for (const page of [alice, bob]) expect((await statuses(page)).filter((status) => /signed out \(|refused/.test(status))).toEqual([]);
      for (const page of [alice, bob, carol, dave]) await page.context().close();
    } finally {
      for (const instance of [instanceA, instanceB]) if (instance.child.exitCode === null) instance.child.kill('SIGTERM');
      await balancer.stop();
      await redis.stop();
    }
  }, 60_000);
});
