import { Logger } from '@nestjs/common';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeModule } from '../../src/index.js';
import { createRealtimeTestingApp, RedisTestServer, type RealtimeTestingApp } from '../../src/testing/index.js';
import { ChatRoomsGateway } from '../support/presence-gateways.js';
import { SECRET } from '../support/tokens.js';

const ROOM = 'lobby';
const TTL_MS = 1500;

type RoomMessage = { message: string };
type PresenceReply = { status: string; users: { userId: string }[] };

/** Two instances on one Redis, kept busy while Redis goes away and comes back. */
describe('Redis outage under load', () => {
  let redis: RedisTestServer;
  let instances: RealtimeTestingApp[];
  let ada: Socket;
  let ann: Socket;
  let bob: Socket;
  const received = new Map<Socket, string[]>();
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  const logged: string[] = [];

  const userIds = async (socket: Socket) =>
    ((await socket.timeout(3000).emitWithAck('roomPresence', { room: ROOM })) as PresenceReply).users.map((u) => u.userId).sort();
  const send = (socket: Socket, message: string) => socket.timeout(3000).emitWithAck('msgToRoom', { room: ROOM, message });

  beforeAll(async () => {
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
    for (const level of ['warn', 'error', 'log'] as const) {
      vi.spyOn(Logger.prototype, level).mockImplementation((message: unknown) => void logged.push(`${level}: ${String(message)}`));
    }
    redis = await RedisTestServer.start();
    const boot = () =>
      createRealtimeTestingApp({
        imports: [
          RealtimeModule.forRoot({
            auth: { secret: SECRET },
            redis: { url: redis.url, keyPrefix: 'outage', onUnavailable: 'degrade' },
            presence: { ttlMs: TTL_MS },
          }),
        ],
        providers: [ChatRoomsGateway],
      });
    instances = [await boot(), await boot()];
    ada = await instances[0].connect({ namespace: 'chat', user: { id: 'ada' } });
    ann = await instances[0].connect({ namespace: 'chat', user: { id: 'ann' } });
    bob = await instances[1].connect({ namespace: 'chat', user: { id: 'bob' } });
    for (const socket of [ada, ann, bob]) {
      received.set(socket, []);
      socket.on('msgToRoom', ({ message }: RoomMessage) => received.get(socket)!.push(message));
      await socket.emitWithAck('joinRoom', { room: ROOM });
    }
  });

  afterAll(async () => {
    for (const instance of instances ?? []) await instance.close();
    await redis?.stop();
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
    vi.restoreAllMocks();
  });

  it('delivers across instances and shares presence while Redis is up', async () => {
    await send(ada, 'before');
    await vi.waitFor(() => expect(received.get(bob)).toContain('before'));
    expect(await userIds(bob)).toEqual(['ada', 'ann', 'bob']);
  });

  it('keeps local delivery and presence reads working while Redis is down, logging the outage once', async () => {
    await redis.stop();
    const outageLogsBefore = logged.filter((line) => line.includes('presence answers from this instance')).length;
    // Load: 200 messages and presence reads on both instances during the outage, longer than presence.ttlMs.
    const deadline = Date.now() + TTL_MS * 2;
    let sent = 0;
    while (Date.now() < deadline) {
      const n = sent++;
      expect(await send(ada, `down ${n}`)).toMatchObject({ status: 'ok' });
      expect(await send(bob, `down-b ${n}`)).toMatchObject({ status: 'ok' });
      expect(await userIds(ann)).toEqual(expect.arrayContaining(['ada', 'ann']));
      expect(await userIds(bob)).toContain('bob');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(sent).toBeGreaterThan(20);
    // Each instance delivered its own messages to its own members.
    expect(received.get(ann)).toContain(`down ${sent - 1}`);
    expect(received.get(bob)).toContain(`down-b ${sent - 1}`);
    // Once per instance per outage, not per message.
    const outageLogs = logged.filter((line) => line.includes('presence answers from this instance')).length - outageLogsBefore;
    expect(outageLogs).toBeLessThanOrEqual(2);
    expect(crashes).toEqual([]);
  });

  it('resumes cross-instance delivery and converges presence once Redis is back', async () => {
    await redis.restart();
    await vi.waitFor(
      async () => {
        await send(ada, 'after');
        expect(received.get(bob)).toContain('after');
      },
      { timeout: 15_000, interval: 300 },
    );
    // Redis restarted empty: each instance puts its own connections back.
    await vi.waitFor(
      async () => {
        expect(await userIds(bob)).toEqual(['ada', 'ann', 'bob']);
        expect(await userIds(ada)).toEqual(['ada', 'ann', 'bob']);
      },
      { timeout: 15_000, interval: 300 },
    );
    expect(crashes).toEqual([]);
  });
});
