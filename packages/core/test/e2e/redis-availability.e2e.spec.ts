import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryPresenceStore, PresenceStore, RealtimeModule } from '../../src/index.js';
import { RedisTestServer, type RealtimeTestingApp } from '../../src/testing/index.js';
import { collect, connectAs, startInstances, until, waitUntilMeshed } from '../support/cluster.js';
import { freePort } from '../support/http-probe.js';
import { methodsOf, REDIS_CLIENT_KINDS, redisOptionsFor, userRedisClient } from '../support/redis-clients.js';

describe('Redis unreachable at boot', () => {
  afterEach(() => vi.restoreAllMocks());

  it("fail (default): boot rejects within connectTimeoutMs with an error naming the URL, password hidden", async () => {
    const url = `redis://:s3cret@127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const error = await Test.createTestingModule({
      imports: [RealtimeModule.forRoot({ redis: { url, connectTimeoutMs: 700 } })],
    })
      .compile()
      .catch((e: Error) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? is unavailable: no connection within 700 ms$/);
    expect((error as Error).message).not.toContain('s3cret');
    expect(elapsed).toBeLessThan(5000); // bounded by connectTimeoutMs, not hanging on retries
  });

  it('degrade: starts single-instance, says so loudly, and serves clients', async () => {
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const [instance] = await startInstances(1, { url: `redis://127.0.0.1:${await freePort()}`, connectTimeoutMs: 500, onUnavailable: 'degrade' });
    try {
      expect(logged).toHaveBeenCalledWith(expect.stringMatching(/is unavailable.*SINGLE-INSTANCE/));
      expect(instance!.app.get(PresenceStore)).toBeInstanceOf(MemoryPresenceStore); // presence, too, stays local
      const a = await connectAs(instance!, 'a');
      const b = await connectAs(instance!, 'b');
      await Promise.all([a, b].map((s) => s.emitWithAck('join', 'local')));
      const heard = collect(b, 'shouted');
      await a.emitWithAck('shout', { room: 'local', text: 'still works' });
      await until(() => heard.length === 1);
      expect(heard).toEqual(['still works']);
    } finally {
      await instance!.close();
    }
  });
});

describe('Redis restarted while instances run', () => {
  let server: RedisTestServer;
  let instances: RealtimeTestingApp[];
  let errors: ReturnType<typeof vi.spyOn>;
  let logs: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    server = await RedisTestServer.start();
    errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    logs = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    await Promise.all((instances ?? []).map((instance) => instance.close()));
    await server?.stop();
    vi.restoreAllMocks();
  });

  it.each(['pubsub', 'streams'] as const)('%s: cross-instance broadcasts work again once Redis is back, without restarting the app', async (mode) => {
    instances = await startInstances(2, { url: server.url, adapter: mode, keyPrefix: `restart-${mode}` });
    await waitUntilMeshed(instances);

    errors.mockClear();
    logs.mockClear();
    await server.restart(); // a Redis outage: every connection drops, nothing is persisted
    // Clients reconnect and resubscribe by themselves; the same instances mesh again.
    await waitUntilMeshed(instances, 20_000);
    // The instances did lose Redis, and said so, once per outage rather than once per retry.
    const outage = new RegExp(`^Redis redis://127\\.0\\.0\\.1:${server.port}/?: `);
    expect(errors.mock.calls.filter((call: unknown[]) => outage.test(String(call[0]))).length).toBeGreaterThan(0);
    await until(() => logs.mock.calls.some((call: unknown[]) => /connection restored/.test(String(call[0]))), 5000, 'the restored log');

    const a = await connectAs(instances[0]!, 'x');
    const b = await connectAs(instances[1]!, 'y');
    await Promise.all([a, b].map((s) => s.emitWithAck('join', 'after-restart')));
    const heard = collect(b, 'shouted');
    await a.emitWithAck('shout', { room: 'after-restart', text: 'back' });
    await until(() => heard.length === 1, 5000, 'the broadcast after the restart');
    expect(heard).toEqual(['back']);

    await Promise.all(instances.map((instance) => instance.close()));
    instances = [];
  }, 60_000);
});

/** The line the module logs when Redis did not carry out what an adapter sent and never checked. */
const LOST = /^Redis .*: the Socket\.IO adapter's \w+ failed \(.*\); events for other instances are lost/;
const lostLines = (errors: ReturnType<typeof vi.spyOn>) => errors.mock.calls.map((call: unknown[]) => String(call[0])).filter((line: string) => LOST.test(line));

describe.each(REDIS_CLIENT_KINDS)('Redis gone when the app closes (%s)', (kind) => {
  it.each(['pubsub', 'sharded', 'streams'] as const)(
    '%s: app.close() does not wait for Redis; what was queued for it is logged once, not an unhandled rejection; your client is not modified',
    async (mode) => {
      const server = await RedisTestServer.start();
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown) => rejections.push(reason);
      process.on('unhandledRejection', onRejection);
      const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const user = kind === 'url' ? undefined : userRedisClient(kind, server.url);
      const methodsBefore = user && methodsOf(user.client);
      try {
        const keyPrefix = `queued-${kind.replace(/\W/g, '')}-${mode}`;
        const [instance] = (await startInstances(1, redisOptionsFor(server.url, user, { adapter: mode, keyPrefix }))) as [RealtimeTestingApp];
        const socket = await connectAs(instance, 'x');
        await socket.emitWithAck('join', 'room');
        await server.stop();
        // Each broadcast is delivered here, and its publish waits in the client's offline queue.
        for (let i = 0; i < 3; i++) await socket.emitWithAck('shout', { room: 'room', text: `while Redis is down ${i}` });
        // Closing must not wait for Redis (it is not coming back) nor leave the queued commands unhandled.
        await instance.close();
        // Your client stays open after app.close(); your own shutdown then rejects what it had queued.
        await user?.destroy();
        await until(() => lostLines(errors).length > 0 || rejections.length > 0, 5000, 'the lost commands to be reported');
        // Rejections left unhandled in the same turn are reported before the next one.
        await new Promise((resolve) => setImmediate(resolve));

        expect(rejections).toEqual([]);
        // Several publishes (and unsubscribes, and session saves) were lost: one line says so.
        expect(lostLines(errors)).toHaveLength(1);
        if (user) expect(methodsOf(user.client)).toEqual(methodsBefore);
      } finally {
        process.off('unhandledRejection', onRejection);
        vi.restoreAllMocks();
        await user?.destroy();
        await server.stop();
      }
    },
  );
});

describe.each(['node-redis client', 'ioredis client'] as const)('Redis outages while the app runs (%s without an offline queue)', (kind) => {
  it('what the adapter sent during an outage is lost: one line per outage however many were lost, no unhandled rejection, and delivery resumes', async () => {
    const server = await RedisTestServer.start();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    // Commands fail at once while Redis is down, instead of waiting for it.
    const user = userRedisClient(kind, server.url, 'reject');
    const keyPrefix = `outages-${kind.replace(/\W/g, '')}`;
    // The first instance publishes with your client; the second, on its own clients, listens.
    const options = [redisOptionsFor(server.url, user, { keyPrefix }), redisOptionsFor(server.url, undefined, { keyPrefix })];
    const instances = await startInstances(2, () => options.shift());
    const ours = () => lostLines(errors).filter((line: string) => line.startsWith('Redis (your client): '));
    try {
      await waitUntilMeshed(instances);
      const socket = await connectAs(instances[0]!, 'x');
      await socket.emitWithAck('join', 'room');
      for (const outage of [1, 2]) {
        await server.stop();
        await until(() => !user.isReady(), 5000, 'the client to see the outage');
        for (let i = 0; i < 5; i++) expect(await socket.emitWithAck('shout', { room: 'room', text: `lost ${i}` })).toBe('sent');
        await until(() => ours().length === outage || rejections.length > 0, 5000, `the line for outage ${outage}`);
        expect(rejections).toEqual([]);
        await server.restart();
        // Publishes succeed again: the outage is over, and the next failure starts another one.
        await waitUntilMeshed(instances, 20_000);
      }
      expect(rejections).toEqual([]);
      expect(ours()).toHaveLength(2);
      expect(ours()[0]).toMatch(/^Redis \(your client\): the Socket\.IO adapter's publish failed \(/);
    } finally {
      process.off('unhandledRejection', onRejection);
      await Promise.all(instances.map((instance) => instance.close()));
      await user.destroy();
      vi.restoreAllMocks();
      await server.stop();
    }
  }, 60_000);
});
