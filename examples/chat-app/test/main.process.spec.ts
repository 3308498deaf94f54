import { connectClient, freePort, redisForTests } from '@nestjs-realtime/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { login, startApp, waitForOutput, type Started } from './support/app-process.js';

describe('the built example app as a process', () => {
  let started: Started | undefined;
  afterEach(() => {
    if (started?.child.exitCode === null) started.child.kill('SIGKILL');
  });

  it('serves the chat on PORT with no external service, and exits cleanly on SIGTERM with a client connected', async () => {
    const port = await freePort();
    started = startApp({ PORT: String(port) });
    await waitForOutput(started, /listening on http:\/\/localhost:\d+/);

    const token = await login(port, 'Dana');
    const socket = await connectClient(`http://127.0.0.1:${port}`, { namespace: 'chat', auth: { token } });
    expect(await socket.emitWithAck('message', { text: 'ping' })).toMatchObject({ status: 'ok' });

    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    started.child.kill('SIGTERM');
    // Nest closes the app, then re-raises the signal so the process ends the way it was asked to.
    expect(await started.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(started.output()).toMatch(/chat closed \(SIGTERM\)/);
    expect(await disconnected).toBe('transport close');
  });

  it('does not name its framework in an X-Powered-By header', async () => {
    const port = await freePort();
    started = startApp({ PORT: String(port) });
    await waitForOutput(started, /listening on/);
    for (const path of ['/', '/health', '/no-such-page']) {
      expect((await fetch(`http://127.0.0.1:${port}${path}`)).headers.has('x-powered-by')).toBe(false);
    }
  });

  it('serves the UI with its bundled script, and no Socket.IO client script of its own', async () => {
    const port = await freePort();
    started = startApp({ PORT: String(port) });
    await waitForOutput(started, /listening on/);
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(page).toContain('<script type="module" src="/app.js">');
    expect(page).not.toContain('/socket.io/socket.io.js');
    const script = await fetch(`http://127.0.0.1:${port}/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    // The UI's code, with @nestjs-realtime/client and socket.io-client in it.
    expect(await script.text()).toContain('auth:refresh');
    expect((await fetch(`http://127.0.0.1:${port}/socket.io/socket.io.js`)).status).not.toBe(200);
  });

  it('refuses to start on a malformed setting, naming the option', async () => {
    started = startApp({ PORT: '0', REALTIME_MAX_BUFFER_BYTES: 'lots' });
    expect((await started.exited).code).toBe(1);
    expect(started.output()).toMatch(/Invalid RealtimeModule option "maxHttpBufferSize": got NaN/);
  });
});

describe('the example as several instances on Redis', () => {
  const instances: Started[] = [];
  let redis: { url: string; stop(): Promise<void> } | undefined;
  afterEach(async () => {
    for (const instance of instances.splice(0)) if (instance.child.exitCode === null) instance.child.kill('SIGKILL');
    await redis?.stop();
    redis = undefined;
  });

  it('a user connected to instance A gets a notification posted to instance B', async () => {
    redis = await redisForTests();
    const [portA, portB] = [await freePort(), await freePort()];
    // Instances that accept each other's tokens share JWT_SECRET, as behind any load balancer.
    const env = { REDIS_URL: redis.url, JWT_SECRET: 'shared-secret-of-the-example-cluster-0123456789' };
    instances.push(startApp({ ...env, PORT: String(portA) }), startApp({ ...env, PORT: String(portB) }));
    await Promise.all(instances.map((instance) => waitForOutput(instance, /listening on/)));

    const ada = await connectClient(`http://127.0.0.1:${portA}`, { namespace: 'notifications', auth: { token: await login(portA, 'Ada') } });
    const grace = await login(portB, 'Grace');
    // Subscriptions to Redis settle right after boot: post until the first notification lands.
    let notification: unknown;
    ada.on('notification', (payload) => (notification ??= payload));
    const deadline = Date.now() + 10_000;
    while (notification === undefined && Date.now() < deadline) {
      const response = await fetch(`http://127.0.0.1:${portB}/notifications/ada`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${grace}` },
        body: JSON.stringify({ text: 'Lunch?' }),
      });
      expect(response.status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    ada.close();
    expect(notification).toEqual({ from: 'Grace', text: 'Lunch?', at: expect.any(String), via: `instance on port ${portB}` });
  }, 40_000);

  it('answers GET /health with 503 and only its status once Redis is gone; a signed-in caller learns why', async () => {
    redis = await redisForTests();
    const port = await freePort();
    instances.push(startApp({ REDIS_URL: redis.url, PORT: String(port) }));
    await waitForOutput(instances[0]!, /listening on/);
    const token = await login(port, 'Ops');
    const health = async (headers: Record<string, string> = {}) => {
      const response = await fetch(`http://127.0.0.1:${port}/health`, { headers });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    expect(await health()).toEqual({ status: 200, body: { status: 'ok' } });

    await redis.stop();
    redis = undefined;
    // The instance notices the lost connection on its own: ask until it says so.
    const deadline = Date.now() + 10_000;
    while ((await health()).status === 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await health({ authorization: 'Bearer forged' })).toEqual({ status: 503, body: { status: 'error' } });
    expect(await health({ authorization: `Bearer ${token}` })).toMatchObject({
      status: 503,
      body: { status: 'error', details: { realtime: { status: 'down', redis: 'down' } } },
    });
  });

  it('refuses a notification without a valid bearer token, and a malformed one', async () => {
    const port = await freePort();
    instances.push(startApp({ PORT: String(port) }));
    await waitForOutput(instances[0]!, /listening on/);
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`http://127.0.0.1:${port}/notifications/ada`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    expect((await post({}, { text: 'hi' })).status).toBe(401);
    expect((await post({ authorization: 'Bearer forged' }, { text: 'hi' })).status).toBe(401);
    const token = await login(port, 'Eve');
    expect((await post({ authorization: `Bearer ${token}` }, { text: '' })).status).toBe(400);
    expect((await post({ authorization: `Bearer ${token}` }, { text: 'ok', admin: true })).status).toBe(400);
  });
});
