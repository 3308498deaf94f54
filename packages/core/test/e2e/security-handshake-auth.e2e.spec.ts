import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeModule, RealtimeService } from '../../src/index.js';
import { createRealtimeTestingApp, redisForTests, type RealtimeTestingApp } from '../../src/testing/index.js';
import { runFixture, type Child } from '../support/child-process.js';
import { startInstances } from '../support/cluster.js';
import { AlphaEchoGateway, RootEchoGateway } from '../support/echo-gateways.js';
import { RawEngineIoClient } from '../support/raw-engine-io.js';
import { SECRET, sign } from '../support/tokens.js';

/** `depth` arrays nested in one another: a few bytes a level, as JSON text (a client's serializer would overflow on it). */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/**
 * The auth object of a Socket.IO `CONNECT` is a client input like any message, and Socket.IO keeps
 * it for the socket's lifetime as `socket.handshake.auth`. It passed no limit at all: 60 connections
 * from one address, each with 900 KB of auth on two namespaces, held 130 MB of the example app's memory.
 */
describe('the handshake auth object passes the payload shape limits and a size limit (pentest)', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await createRealtimeTestingApp({
      imports: [
        RealtimeModule.forRoot({
          auth: { secret: SECRET, publicNamespaces: ['/alpha'] },
          limits: { maxPayloadDepth: 8, maxPayloadNodes: 50, maxHandshakeAuthBytes: 4096 },
        }),
      ],
      providers: [RootEchoGateway, AlphaEchoGateway],
    });
  });
  afterAll(() => rt?.close());

  it('refuses an auth object nested deeper than maxPayloadDepth before its token is verified', async () => {
    const raw = await RawEngineIoClient.open(rt.url);
    const answer = await raw.connectNamespace('/', { token: sign({ sub: 'deep' }), extra: JSON.parse(nested(8)) });
    expect(answer).toMatchObject({ type: 4, data: { data: { code: 'BAD_REQUEST', reason: 'too_deep' } } });
    expect(await rt.app.get(RealtimeService).socketsOf('deep')).toEqual([]);
    raw.close();
  });

  it('refuses an auth object with more values than maxPayloadNodes', async () => {
    const raw = await RawEngineIoClient.open(rt.url);
    const answer = await raw.connectNamespace('/', { token: sign({ sub: 'wide' }), extra: Array.from({ length: 60 }, (_, i) => i) });
    expect(answer).toMatchObject({ type: 4, data: { data: { code: 'PAYLOAD_TOO_LARGE', reason: 'too_many_nodes' } } });
    raw.close();
  });

  it('holds on a namespace where the token is optional too', async () => {
    const raw = await RawEngineIoClient.open(rt.url);
    raw.send(`40/alpha,{"x":${nested(20_000)}}`);
    const answer = await raw.until(() => raw.packets.find((p) => p.nsp === '/alpha' && (p.type === 0 || p.type === 4)), 5000);
    expect(answer).toMatchObject({ type: 4, data: { data: { code: 'BAD_REQUEST', reason: 'too_deep' } } });
    raw.close();
  });

  it('refuses an auth object of more bytes than maxHandshakeAuthBytes, which every socket would keep for its lifetime', async () => {
    const raw = await RawEngineIoClient.open(rt.url);
    const answer = await raw.connectNamespace('/', { token: sign({ sub: 'large' }), padding: 'x'.repeat(5000) });
    expect(answer).toMatchObject({ type: 4, data: { data: { code: 'PAYLOAD_TOO_LARGE', reason: 'auth_too_large' } } });
    expect(await rt.app.get(RealtimeService).socketsOf('large')).toEqual([]);
    raw.close();
  });

  it('lets in an auth object within the limits', async () => {
    const raw = await RawEngineIoClient.open(rt.url);
    const answer = await raw.connectNamespace('/', { token: sign({ sub: 'fine' }), device: { name: 'phone', caps: ['a', 'b'] }, note: 'x'.repeat(3000) });
    expect(answer).toMatchObject({ type: 0 });
    raw.close();
  });
});

describe('a deep handshake auth object and the Redis adapter (pentest)', () => {
  let redis: { url: string; stop(): Promise<void> };
  const children: Child[] = [];
  beforeAll(async () => {
    redis = await redisForTests();
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.process.exitCode === null) child.process.kill('SIGKILL');
  });
  afterAll(() => redis?.stop());

  it("cannot stop another instance: answering fetchSockets() would serialize it (JSON.stringify overflows, Node ends the process)", async () => {
    const instance = runFixture('instance.mjs', [redis.url, 'pubsub', 'deep-auth']);
    children.push(instance);
    const port = Number((await instance.waitFor(/READY (\d+)/))[1]);
    const raw = await RawEngineIoClient.open(`http://127.0.0.1:${port}`);
    // 200,000 levels in 400 KB, under the default maxHttpBufferSize.
    raw.send(`40/rooms,{"token":"${sign({ sub: 'mallory' })}","x":${nested(200_000)}}`);
    const answer = await raw.until(() => raw.packets.find((p) => p.nsp === '/rooms' && (p.type === 0 || p.type === 4)), 10_000);

    const [other] = (await startInstances(1, { url: redis.url, adapter: 'pubsub', keyPrefix: 'deep-auth' })) as [RealtimeTestingApp];
    try {
      // Asks every instance, the process included, for the user's sockets.
      const sockets = await other.app.get(RealtimeService).socketsOf('mallory');
      expect(sockets).toEqual([]);
      // A crashed process would have exited by now: the request above waited for its answer or timed out.
      expect(await instance.exit(500)).toBe('still running');
      expect(answer).toMatchObject({ type: 4, data: { data: { code: 'BAD_REQUEST', reason: 'too_deep' } } });
    } finally {
      raw.close();
      await other.close();
    }
  }, 40_000);
});
