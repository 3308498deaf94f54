import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeEmitter, RealtimeIoAdapter, RealtimeModule, RealtimeService, type RedisAdapterMode } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, redisForTests, type RealtimeTestingApp } from '../../src/testing/index.js';
import { NativeGateway } from '../support/native-ws-gateways.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';

const modes: RedisAdapterMode[] = ['pubsub', 'sharded', 'streams'];

describe.each(modes)('native clients across instances over Redis (%s)', (mode) => {
  let redis: Awaited<ReturnType<typeof redisForTests>>;
  let instances: RealtimeTestingApp[];
  let client: WsTestClient;
  const keyPrefix = `native-ws-${mode}`;

  beforeAll(async () => {
    redis = await redisForTests();
    const boot = () =>
      createRealtimeTestingApp(
        {
          imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, redis: { url: redis.url, adapter: mode, keyPrefix } })],
          providers: [NativeGateway],
        },
        { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
      );
    instances = [await boot(), await boot()];
    client = await WsTestClient.open(`${instances[0].url.replace('http', 'ws')}/ws`, {
      headers: { Authorization: `Bearer ${sign({ sub: 'ada' })}` },
    });
  });

  afterAll(async () => {
    client?.close();
    for (const instance of instances ?? []) await instance.close();
    await redis?.stop();
  });

  it("RealtimeService.toUser() on another instance reaches the user's native client", async () => {
    const note = client.next('note');
    // The other instance subscribes in the background: send until one arrives.
    const timer = setInterval(() => instances[1].app.get(RealtimeService).toUser('ada').emit('note', { from: 'instance 2' }), 100);
    try {
      expect((await note).data).toEqual({ from: 'instance 2' });
    } finally {
      clearInterval(timer);
    }
  });

  it('RealtimeEmitter in a worker reaches it too', async () => {
    const emitter = await RealtimeEmitter.create({ redis: { url: redis.url, adapter: mode, keyPrefix } });
    const note = client.next('job');
    emitter.toUser('ada').emit('job', { done: true });
    expect((await note).data).toEqual({ done: true });
    await emitter.close();
  });

  it('disconnectUser() on another instance closes it', async () => {
    const other = await WsTestClient.open(`${instances[0].url.replace('http', 'ws')}/ws`, {
      headers: { Authorization: `Bearer ${sign({ sub: 'bob' })}` },
    });
    await instances[1].app.get(RealtimeService).disconnectUser('bob', 'moved');
    expect((await other.closed).reason).toBe('moved');
  });
});
