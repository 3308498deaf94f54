import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RedisAdapterMode } from '../../src/index.js';
import { connectClient, redisForTests, type RealtimeTestingApp } from '../../src/testing/index.js';
import { runFixture, type Child } from '../support/child-process.js';
import { collect, connectAs, startInstances, until } from '../support/cluster.js';
import { sign } from '../support/tokens.js';

let redis: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(() => redis?.stop());

describe.each(['pubsub', 'sharded', 'streams'] as RedisAdapterMode[])('RealtimeEmitter in a worker process (%s)', (mode) => {
  let instance: RealtimeTestingApp;
  const keyPrefix = `worker-${mode}`;
  beforeAll(async () => {
    [instance] = (await startInstances(1, { url: redis.url, adapter: mode, keyPrefix })) as [RealtimeTestingApp];
  });
  afterAll(() => instance?.close());

  it('reaches a user connected to an instance, and the worker exits by itself', async () => {
    const ada = await connectAs(instance, 'ada');
    const notices = collect<{ from: string }>(ada, 'notice');
    // The instance subscribes right after boot; a worker that emits earlier is not heard, so retry.
    let worker: Child | undefined;
    const deadline = Date.now() + 10_000;
    while (notices.length === 0 && Date.now() < deadline) {
      worker = runFixture('worker-emit.mjs', [redis.url, mode, keyPrefix, 'ada']);
      expect(await worker.exit(10_000)).toBe(0);
      expect(worker.output()).toContain('EMITTED');
      await until(() => notices.length > 0, 1000).catch(() => undefined);
    }
    expect(notices[0]).toMatchObject({ from: 'worker' });
  }, 30_000);
});

describe('instances as processes', () => {
  const children: Child[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.process.exitCode === null) child.process.kill('SIGKILL');
  });

  it('app.close() resolves with clients connected and leaves no open handle: the process exits by itself', async () => {
    const instance = runFixture('instance.mjs', [redis.url, 'pubsub', 'close-test']);
    children.push(instance);
    const port = Number((await instance.waitFor(/READY (\d+)/))[1]);
    const url = `http://127.0.0.1:${port}`;
    const clients = [
      await connectClient(url, { namespace: 'rooms', auth: { token: sign({ sub: 'a' }) }, transports: ['websocket'] }),
      await connectClient(url, { namespace: 'rooms', auth: { token: sign({ sub: 'b' }) }, transports: ['polling'] }),
    ];
    for (const client of clients) expect(await client.emitWithAck('join', 'lobby')).toBe('joined');

    instance.process.stdin!.write('close\n');
    await instance.waitFor(/CLOSED/, 5000);
    expect(await instance.exit(5000)).toBe(0);
    for (const client of clients) client.close();
  }, 30_000);

  it('three instance processes: a user on one instance gets what another instance sends to the room', async () => {
    const processes = [0, 1, 2].map(() => runFixture('instance.mjs', [redis.url, 'pubsub', 'three-processes']));
    children.push(...processes);
    const urls = await Promise.all(processes.map(async (p) => `http://127.0.0.1:${(await p.waitFor(/READY (\d+)/))[1]}`));
    const sockets = await Promise.all(
      urls.map((url, i) => connectClient(url, { namespace: 'rooms', auth: { token: sign({ sub: `p${i}` }) } })),
    );
    await Promise.all(sockets.map((socket) => socket.emitWithAck('join', 'all')));
    // An in-test instance on the same Redis sends to the room; every process delivers it.
    const [sender] = (await startInstances(1, { url: redis.url, adapter: 'pubsub', keyPrefix: 'three-processes' })) as [RealtimeTestingApp];
    try {
      const received = sockets.map((socket) => collect(socket, 'shouted'));
      const senderSocket = await connectAs(sender, 'sender');
      await senderSocket.emitWithAck('join', 'all');
      const deadline = Date.now() + 10_000;
      while (!received.every((list) => list.length > 0) && Date.now() < deadline) {
        await senderSocket.emitWithAck('shout', { room: 'all', text: 'to every process' });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(received.map((list) => list[0])).toEqual(['to every process', 'to every process', 'to every process']);
    } finally {
      sockets.forEach((socket) => socket.close());
      await sender.close();
    }
  }, 40_000);
});
