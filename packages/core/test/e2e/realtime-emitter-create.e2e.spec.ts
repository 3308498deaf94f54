import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeEmitter, type RealtimeEmitterOptions } from '../../src/index.js';
import { RedisTestServer } from '../../src/testing/index.js';
import { runFixture } from '../support/child-process.js';

const USER = 'emitter';

/**
 * A Redis user that may run commands but not use any Pub/Sub channel (an ACL written for a cache):
 * the emitter connects, then the streams adapter's subscription is refused, and create() fails.
 */
describe('RealtimeEmitter.create() that fails', () => {
  let server: RedisTestServer;
  let admin: ReturnType<typeof createClient>;
  let restrictedUrl: string;

  const connectionsOfUser = async () =>
    String(await admin.sendCommand(['CLIENT', 'LIST']))
      .split('\n')
      .filter((line) => line.includes(` user=${USER} `)).length;
  const connectionsReceived = async () => Number(/total_connections_received:(\d+)/.exec(await admin.info('stats'))![1]);

  beforeAll(async () => {
    server = await RedisTestServer.start();
    admin = createClient({ url: server.url });
    await admin.connect();
    await admin.sendCommand(['ACL', 'SETUSER', USER, 'on', '>secret', '~*', 'resetchannels', '+@all']);
    restrictedUrl = `redis://${USER}:secret@127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await admin?.quit();
    await server?.stop();
  });

  it('closes every connection it opened before the error reaches the caller', async () => {
    const created = RealtimeEmitter.create({ redis: { url: restrictedUrl, adapter: 'streams', keyPrefix: 'emitter-fails' }, namespaces: ['/a', '/b'] });
    const settled = created.catch((error: unknown) => error);
    // It did connect: the client, then the streams adapter's connections of its own.
    await vi.waitFor(async () => expect(await connectionsOfUser()).toBeGreaterThan(1), { timeout: 4000, interval: 50 });

    const error = await settled;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/the streams adapter did not subscribe/);
    // Closed before the rejection, not eventually: nothing is left for Redis to drop later.
    expect(await connectionsOfUser()).toBe(0);
  }, 15_000);

  it('opens no connection when an option is wrong', async () => {
    const before = await connectionsReceived();
    const options = { redis: { url: server.url, keyPrefix: 'emitter-bad' }, namespaces: '/notifications' } as unknown as RealtimeEmitterOptions;
    await expect(RealtimeEmitter.create(options)).rejects.toThrow(/namespaces must be an array/);
    expect(await connectionsReceived()).toBe(before);
  });

  it('leaves a worker that catches the error nothing that keeps it alive', async () => {
    const worker = runFixture('emitter-create-fails.mjs', [restrictedUrl, 'emitter-worker']);
    try {
      await worker.waitFor(/FAILED .*did not subscribe/, 15_000);
      expect(await worker.exit(5000)).toBe(0);
    } finally {
      if (worker.process.exitCode === null) worker.process.kill('SIGKILL');
    }
  }, 25_000);
});
