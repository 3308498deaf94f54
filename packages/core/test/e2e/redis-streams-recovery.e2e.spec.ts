import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeService } from '../../src/index.js';
import { redisForTests, type RealtimeTestingApp } from '../../src/testing/index.js';
import { collect, startInstances, until, waitUntilMeshed } from '../support/cluster.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { sign } from '../support/tokens.js';

describe("streams mode: connection-state recovery across instances", () => {
  let redis: { url: string; stop(): Promise<void> };
  let instances: RealtimeTestingApp[];
  let proxy: TcpProxy;

  beforeAll(async () => {
    redis = await redisForTests();
    instances = await startInstances(2, { url: redis.url, adapter: 'streams', keyPrefix: 'recovery' });
    await waitUntilMeshed(instances);
    proxy = await new TcpProxy(Number(new URL(instances[0]!.url).port)).start();
  });
  afterAll(async () => {
    await proxy?.stop();
    await Promise.all((instances ?? []).map((instance) => instance.close()));
    await redis?.stop();
  });

  it('a client that drops and reconnects to another instance gets its session and the events it missed', async () => {
    const socket: Socket = io(`http://127.0.0.1:${proxy.port}/rooms`, {
      transports: ['websocket'],
      auth: { token: sign({ sub: 'roamer' }) },
      reconnectionDelay: 100,
      reconnectionDelayMax: 200,
    });
    try {
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const notices = collect<string>(socket, 'notice');
      const realtimeA = instances[0]!.app.get(RealtimeService);
      realtimeA.toUser('roamer').emit('notice', 'before the drop');
      await until(() => notices.length === 1, 5000, 'the first notice');
      const firstId = socket.id;

      // Instance A goes away behind the load balancer; while the client is off, an event is sent.
      const reconnected = new Promise<void>((resolve) => socket.io.once('reconnect', () => resolve()));
      const dropped = new Promise((resolve) => socket.once('disconnect', resolve));
      proxy.switchTo(Number(new URL(instances[1]!.url).port));
      await dropped;
      instances[1]!.app.get(RealtimeService).toUser('roamer').emit('notice', 'while you were away');

      await reconnected;
      await until(() => notices.length === 2, 5000, 'the missed notice');
      expect(socket.recovered).toBe(true);
      expect(socket.id).toBe(firstId);
      expect(notices).toEqual(['before the drop', 'while you were away']);
    } finally {
      socket.close();
    }
  });
});
