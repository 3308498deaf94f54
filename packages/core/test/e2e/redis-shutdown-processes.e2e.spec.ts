import { afterEach, describe, expect, it } from 'vitest';
import type { RedisAdapterMode } from '../../src/index.js';
import { connectClient, RedisTestServer } from '../../src/testing/index.js';
import { runFixture, type Child } from '../support/child-process.js';
import { sign } from '../support/tokens.js';

type Library = 'node-redis' | 'ioredis';

/**
 * ioredis from `redis.url` in every mode (only a process without node-redis makes its clients with
 * ioredis); node-redis in `streams` mode, whose adapter opens connections of its own. The other
 * node-redis cases run in-process in redis-availability.e2e.spec.ts.
 */
const MATRIX: [Library, RedisAdapterMode][] = [
  ['ioredis', 'pubsub'],
  ['ioredis', 'sharded'],
  ['ioredis', 'streams'],
  ['node-redis', 'streams'],
];
const LOST = /the Socket\.IO adapter's \w+ failed/g;

describe.each(MATRIX)('an instance process on redis.url (%s, %s) closed while Redis is gone', (library, mode) => {
  const children: Child[] = [];
  let server: RedisTestServer | undefined;
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.process.exitCode === null) child.process.kill('SIGKILL');
    await server?.stop();
  });

  it('app.close() resolves, nothing queued for Redis crashes it, and the process exits by itself', async () => {
    server = await RedisTestServer.start();
    const nodeOptions = library === 'ioredis' ? ['--import', './without-node-redis.mjs'] : [];
    const instance = runFixture('instance.mjs', [server.url, mode, `gone-${library}-${mode}`], nodeOptions);
    children.push(instance);
    const port = Number((await instance.waitFor(/READY (\d+)/))[1]);
    expect(instance.output().includes('NODE-REDIS HIDDEN')).toBe(library === 'ioredis');
    const client = await connectClient(`http://127.0.0.1:${port}`, { namespace: 'rooms', auth: { token: sign({ sub: 'a' }) } });
    expect(await client.emitWithAck('joinRoom', { room: 'lobby' })).toMatchObject({ status: 'ok' });

    await server.stop();
    // Delivered here; their publishes wait for Redis.
    for (let i = 0; i < 3; i++) expect(await client.timeout(3000).emitWithAck('msgToRoom', { room: 'lobby', message: `lost ${i}` })).toMatchObject({ status: 'ok' });
    client.close();
    instance.process.stdin!.write('close\n');
    await instance.waitFor(/CLOSED/, 5000);
    // An unhandled rejection would end it with code 1; a connection left reconnecting, not at all.
    expect(await instance.exit(5000)).toBe(0);
    // What was lost, if the client rejected it rather than dropping it, is one line.
    expect((instance.output().match(LOST) ?? []).length).toBeLessThanOrEqual(1);
  }, 30_000);
});
