import { Logger } from '@nestjs/common';
import { Redis as IORedis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedisAdapter } from '../../src/redis/create-redis-adapter.js';
import { RedisTestServer } from '../../src/testing/index.js';
import { until } from '../support/cluster.js';
import { userRedisClient } from '../support/redis-clients.js';

/**
 * The streams adapter connects the connections it duplicates (`await copy.connect()`) in a promise
 * it never handles. Closed while one still connects (an app closed right after it booted, or Redis
 * going away then), an ioredis connect fails: without the module's guard, an unhandled rejection.
 * (node-redis counts a connection as made once its socket is open, so nothing fails there.)
 */
describe('streams adapter closed while its own connections still connect (ioredis client)', () => {
  let server: RedisTestServer;
  beforeAll(async () => {
    server = await RedisTestServer.start();
  });
  afterAll(() => server.stop());
  afterEach(() => vi.restoreAllMocks());

  it('reports the failed connect once and leaves no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const user = userRedisClient('ioredis client', server.url);
    const admin = new IORedis(server.url);
    try {
      await (user.client as { connect(): Promise<unknown> }).connect();
      // Redis answers no command for a while (the server is killed before it would again): the
      // adapter's new connections cannot finish connecting.
      await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
      const adapter = await createRedisAdapter({ client: user.client as never, adapter: 'streams' });
      await adapter.close();
      await until(() => errors.mock.calls.length > 0 || rejections.length > 0, 5000, 'the failed connect to be reported');
      // Rejections left unhandled in the same turn are reported before the next one.
      await new Promise((resolve) => setImmediate(resolve));

      expect(rejections).toEqual([]);
      expect(errors.mock.calls.map((call: unknown[]) => String(call[0]))).toEqual([
        expect.stringMatching(/^Redis \(your client\): the Socket\.IO adapter's connect failed \(/),
      ]);
    } finally {
      process.off('unhandledRejection', onRejection);
      admin.disconnect();
      await user.destroy();
    }
  });
});
