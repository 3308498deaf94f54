import { afterAll, beforeAll, describe, it } from 'vitest';
import { redisForTests, type RealtimeTestingApp } from '../../src/testing/index.js';
import { startInstances, waitUntilMeshed } from '../support/cluster.js';
import { expectRecoveryOnAnotherInstance } from '../support/recovery.js';
import { TcpProxy } from '../support/tcp-proxy.js';

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

  it('a client that drops and reconnects to another instance gets its session and the events it missed', () =>
    expectRecoveryOnAnotherInstance(instances, proxy));
});
