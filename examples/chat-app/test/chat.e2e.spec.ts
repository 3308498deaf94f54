import { ConfigService } from '@nestjs/config';
import { createRealtimeTestingApp, waitForEvent, type RealtimeTestingApp } from '@nestjs-realtime/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { MAX_ROOM_MESSAGE_LENGTH } from '../src/chat/room-message.dto.js';
import { MAX_CONNECTIONS_PER_USER } from '../src/realtime.config.js';
import { createWebSocketAdapter } from '../src/websocket-adapter.js';
import { login as loginAt } from './support/app-process.js';
import { nextFrame, openDevice as openDeviceAt } from './support/native-device.js';

describe('chat gateway (in-process)', () => {
  let rt: RealtimeTestingApp;

  beforeAll(async () => {
    rt = await createRealtimeTestingApp(
      { imports: [AppModule] },
      // The same env-driven config the app reads, pinned for the test. Metrics off: main.ts, which
      // registers the OpenTelemetry SDK, does not run here (metrics.process.spec.ts covers them).
      {
        overrides: (b) =>
          b.overrideProvider(ConfigService).useValue(new ConfigService({ REALTIME_TRANSPORTS: 'websocket', OTEL_METRICS: 'off' })),
        adapter: createWebSocketAdapter,
      },
    );
  });
  afterAll(() => rt?.close());

  const login = (name: string) => loginAt(rt.url, name);

  it('broadcasts a signed-in user\'s message to everyone in the chat and acks the sender', async () => {
    const alice = await rt.connect({ namespace: 'chat', auth: { token: await login('Alice') } });
    const bob = await rt.connect({ namespace: 'chat', auth: { token: await login('Bob') } });
    const received = waitForEvent<{ from: string; text: string }>(bob, 'message');

    const ack = await alice.emitWithAck('message', { text: 'hello bob' });

    expect(ack).toMatchObject({ status: 'ok' });
    expect(await received).toMatchObject({ from: 'alice', name: 'Alice', socket: alice.id, text: 'hello bob' });
  });

  it('answers an invalid message with BAD_REQUEST and the field errors, and keeps the socket', async () => {
    const alice = await rt.connect({ namespace: 'chat', auth: { token: await login('Alice') } });
    expect(await alice.emitWithAck('message', { text: '', extra: 1 })).toMatchObject({
      status: 'error',
      code: 'BAD_REQUEST',
      details: { fields: { text: ['text must be longer than or equal to 1 characters'], extra: ['property extra should not exist'] } },
      event: 'message',
    });
    expect(await alice.emitWithAck('message', { text: 'still here' })).toMatchObject({ status: 'ok' });
  });

  it('refuses a non-string or overlong message with BAD_REQUEST, in the lobby and in a room, and the others see none of it', async () => {
    const mallory = await rt.connect({ namespace: 'chat', auth: { token: await login('Mallory') } });
    const bob = await rt.connect({ namespace: 'chat', auth: { token: await login('Bob') } });
    await mallory.emitWithAck('joinRoom', { room: 'hardening' });
    await bob.emitWithAck('joinRoom', { room: 'hardening' });
    const seen: unknown[] = [];
    bob.on('msgToRoom', ({ message }: { message: unknown }) => seen.push(message));
    bob.on('message', ({ text }: { text: unknown }) => seen.push(text));

    // { toString } is what broke every member's browser: String() of it throws.
    for (const message of [{ toString: 'boom' }, 42, ['a'], null, 'x'.repeat(MAX_ROOM_MESSAGE_LENGTH + 1)]) {
      expect(await mallory.emitWithAck('msgToRoom', { room: 'hardening', message })).toMatchObject({
        status: 'error',
        code: 'BAD_REQUEST',
        details: { fields: { message: expect.any(Array) } },
        event: 'msgToRoom',
      });
    }
    for (const text of [{ toString: 'boom' }, 7, 'x'.repeat(501)]) {
      expect(await mallory.emitWithAck('message', { text })).toMatchObject({ status: 'error', code: 'BAD_REQUEST', details: { fields: { text: expect.any(Array) } } });
    }

    const longest = 'y'.repeat(MAX_ROOM_MESSAGE_LENGTH);
    const received = waitForEvent<{ message: unknown }>(bob, 'msgToRoom');
    expect(await mallory.emitWithAck('msgToRoom', { room: 'hardening', message: longest })).toMatchObject({ status: 'ok' });
    expect((await received).message).toBe(longest);
    expect(await bob.emitWithAck('msgToRoom', { room: 'hardening', message: 'fine here' })).toMatchObject({ status: 'ok' });
    expect(seen).toEqual([longest, 'fine here']);
  });

  it('rooms with presence: two tabs of one user count once, a private room is its owner\'s only', async () => {
    const token = await login('Zoe');
    const tab1 = await rt.connect({ namespace: 'chat', auth: { token } });
    const tab2 = await rt.connect({ namespace: 'chat', auth: { token } });
    const watcher = await rt.connect({ namespace: 'chat', auth: { token: await login('Yann') } });
    await watcher.emitWithAck('joinRoom', { room: 'general' });
    // Presence changes reach the room as one presence:diff per window (50 ms), a user's tabs as one user.
    type Diff = { joined: { userId: string }[] };
    const zoeJoined = new Promise<Diff>((resolve) =>
      watcher.on('presence:diff', (diff: Diff) => {
        if (diff.joined.some((user) => user.userId === 'zoe')) resolve(diff);
      }),
    );

    await tab1.emitWithAck('joinRoom', { room: 'general', meta: { device: 'laptop' } });
    const reply = (await tab2.emitWithAck('joinRoom', { room: 'general', meta: { device: 'phone' } })) as {
      users: { userId: string; metas: { device: string }[] }[];
      count: { users: number; connections: number };
    };
    expect(reply.users.find((u) => u.userId === 'zoe')?.metas.map((m) => m.device)).toEqual(['laptop', 'phone']);
    expect(reply.count.connections - reply.count.users).toBeGreaterThanOrEqual(1); // zoe's two tabs, one user
    expect((await zoeJoined).joined.filter((user) => user.userId === 'zoe')).toHaveLength(1);

    const received = waitForEvent<{ message: unknown }>(watcher, 'msgToRoom');
    await tab1.emitWithAck('msgToRoom', { room: 'general', message: 'hello room' });
    expect((await received).message).toBe('hello room');

    expect(await tab1.emitWithAck('joinRoom', { room: 'private-zoe' })).toMatchObject({ status: 'ok' });
    expect(await watcher.emitWithAck('joinRoom', { room: 'private-zoe' })).toMatchObject({ status: 'error', code: 'FORBIDDEN' });
  });

  it('refuses the chat without a token', async () => {
    await expect(rt.connect({ namespace: 'chat' })).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED', reason: 'missing_token' },
    });
  });

  it('refuses a bad login name with 400', async () => {
    const response = await fetch(`${rt.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '<script>' }),
    });
    expect(response.status).toBe(400);
  });

  it('serves websocket only when REALTIME_TRANSPORTS says so', async () => {
    await expect(rt.connect({ namespace: 'chat', transports: ['polling'], auth: { token: await login('Carol') } })).rejects.toThrow();
  });

  describe('native WebSocket devices on /ws', () => {
    const openDevice = (token?: string) => openDeviceAt(rt.url, token);

    it('signs a device in with the demo token, answers whoami and room presence', async () => {
      const device = await openDevice(await login('Dora'));
      const whoami = nextFrame(device, 'whoami');
      device.send(JSON.stringify({ event: 'whoami' }));
      expect(await whoami).toMatchObject({ id: 'dora', name: 'Dora' });

      const chat = await rt.connect({ namespace: 'chat', auth: { token: await login('Dora') } });
      await chat.emitWithAck('joinRoom', { room: 'devices' });
      const presence = nextFrame(device, 'roomPresence');
      device.send(JSON.stringify({ event: 'roomPresence', data: { room: 'devices' } }));
      expect(await presence).toEqual({ room: 'devices', users: 1, connections: 1 });
      device.close();
    });

    it('answers roomPresence only for a room the device\'s user is in (FORBIDDEN otherwise)', async () => {
      const bob = await rt.connect({ namespace: 'chat', auth: { token: await login('Bob') } });
      await bob.emitWithAck('joinRoom', { room: 'bobs-corner' });
      const device = await openDevice(await login('Ivy'));

      const refused = nextFrame(device, 'exception');
      device.send(JSON.stringify({ event: 'roomPresence', data: { room: 'bobs-corner' } }));
      expect(await refused).toMatchObject({ status: 'error', code: 'FORBIDDEN', details: { room: 'bobs-corner' }, event: 'roomPresence' });

      // Once Ivy joins it (from any of her connections), her device may ask.
      const ivy = await rt.connect({ namespace: 'chat', auth: { token: await login('Ivy') } });
      await ivy.emitWithAck('joinRoom', { room: 'bobs-corner' });
      const presence = nextFrame(device, 'roomPresence');
      device.send(JSON.stringify({ event: 'roomPresence', data: { room: 'bobs-corner' } }));
      expect(await presence).toEqual({ room: 'bobs-corner', users: 2, connections: 2 });
      device.close();
    });

    it('delivers a notification posted over HTTP to the device', async () => {
      const device = await openDevice(await login('Dora'));
      const notification = nextFrame(device, 'notification');
      const response = await fetch(`${rt.url}/notifications/dora`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await login('Eve')}` },
        body: JSON.stringify({ text: 'door opened' }),
      });
      expect(response.status).toBe(202);
      expect(await notification).toMatchObject({ from: 'Eve', text: 'door opened' });
      device.close();
    });

    it('refuses a device without a token (HTTP 401) and answers a bad frame with BAD_REQUEST', async () => {
      await expect(openDevice()).rejects.toThrow('HTTP 401');
      const device = await openDevice(await login('Dora'));
      const exception = nextFrame(device, 'exception');
      device.send(JSON.stringify({ event: 'roomPresence', data: { room: '' } }));
      expect(await exception).toMatchObject({ status: 'error', code: 'BAD_REQUEST', event: 'roomPresence' });
      device.close();
    });
  });

  it('answers GET /health with its status only, and with the realtime details to a signed-in caller', async () => {
    const health = (authorization?: string) => fetch(`${rt.url}/health`, { headers: authorization ? { authorization } : {} });
    for (const anonymous of [await health(), await health('Bearer forged'), await health('Basic YTpi')]) {
      expect(anonymous.status).toBe(200);
      expect(await anonymous.json()).toEqual({ status: 'ok' });
    }
    const signedIn = await health(`Bearer ${await login('Ops')}`);
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toMatchObject({ status: 'ok', details: { realtime: { status: 'up', adapter: 'memory', draining: false } } });
  });

  it(`refuses a user's connection over ${MAX_CONNECTIONS_PER_USER} with FORBIDDEN too_many_connections, and lets others in`, async () => {
    const token = await login('Max');
    for (let i = 0; i < MAX_CONNECTIONS_PER_USER; i++) await rt.connect({ namespace: 'chat', auth: { token } });
    await expect(rt.connect({ namespace: 'chat', auth: { token } })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN', reason: 'too_many_connections' },
    });
    const other = await rt.connect({ namespace: 'chat', auth: { token: await login('Nina') } });
    expect(await other.emitWithAck('message', { text: 'still open to others' })).toMatchObject({ status: 'ok' });
  });

  it('answers a flood with RATE_LIMITED and keeps serving the others', async () => {
    const flooder = await rt.connect({ namespace: 'chat', auth: { token: await login('Flo') } });
    const other = await rt.connect({ namespace: 'chat', auth: { token: await login('Otto') } });
    const replies = await Promise.all(Array.from({ length: 25 }, (_, i) => flooder.emitWithAck('message', { text: `spam ${i}` })));
    expect(replies.filter((reply) => (reply as { code?: string }).code === 'RATE_LIMITED').length).toBeGreaterThan(0);
    expect(await other.emitWithAck('message', { text: 'still fine' })).toMatchObject({ status: 'ok' });
  });
});
