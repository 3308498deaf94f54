import { Cluster as IoRedisCluster } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PresenceService, RealtimeModule, type PresenceDiff, type RealtimeRedisOptions } from '../../src/index.js';
import { createRealtimeTestingApp, RedisClusterTestServer, type RealtimeTestingApp } from '../../src/testing/index.js';
import { collect, connectAs, until, waitUntilMeshed } from '../support/cluster.js';
import { ClusterRoomsGateway } from '../support/cluster-gateways.js';
import { ChatRoomsGateway } from '../support/presence-gateways.js';
import { SECRET, sign } from '../support/tokens.js';

/**
 * A master of the cluster crashes while two instances talk through it: its replica takes over and
 * the same apps, not restarted, deliver across instances again and agree on presence.
 */
type ClusterKind = 'redis.cluster' | 'ioredis Cluster';

/** How long the cluster waits before holding a silent master failed: the failover's first part. */
const NODE_TIMEOUT_MS = 1000;
/** Generous: two cores shared with other test runs. Measured recoveries are printed. */
const RECOVERY_BOUND_MS = 20_000;
const CHAT = { namespace: '/chat' };

describe.each<ClusterKind>(['redis.cluster', 'ioredis Cluster'])('a master fails over under two instances (%s, sharded)', (kind) => {
  const keyPrefix = `fo-${kind.replace(/\W/g, '')}`;
  let cluster: RedisClusterTestServer;
  let user: IoRedisCluster | undefined;
  let a: RealtimeTestingApp;
  let b: RealtimeTestingApp;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  const redisOptions = (): RealtimeRedisOptions => {
    if (kind === 'redis.cluster') return { cluster: { nodes: cluster.urls }, adapter: 'sharded', keyPrefix };
    // The user's client, shared by both instances as one process's app would share it.
    user ??= new IoRedisCluster([cluster.urls[0]!], { lazyConnect: true });
    user.on('error', () => undefined);
    return { client: user, adapter: 'sharded', keyPrefix };
  };

  const boot = () =>
    createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, redis: redisOptions(), presence: { ttlMs: 15_000 } })],
      providers: [ClusterRoomsGateway, ChatRoomsGateway],
    });

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    // The outage is logged (once per connection); the test reads what clients see, not the logs.
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    cluster = await RedisClusterTestServer.start({ nodeTimeoutMs: NODE_TIMEOUT_MS });
    a = await boot();
    b = await boot();
    await waitUntilMeshed([a, b]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await user?.quit().catch(() => user?.disconnect());
    await cluster?.stop();
    process.off('unhandledRejection', onRejection);
    vi.restoreAllMocks();
  }, 30_000);

  /** The first of `room-0`, `room-1`, … whose sharded channel in `namespace` lives on `port`. */
  async function roomOn(port: number, namespace: string, stem: string): Promise<string> {
    for (let i = 0; i < 200; i++) {
      if ((await cluster.nodeFor(`${keyPrefix}#${namespace}#${stem}-${i}#`)) === port) return `${stem}-${i}`;
    }
    throw new Error(`no ${stem} room with its channel on ${port}`);
  }

  it('cross-instance delivery resumes and presence converges, without restarting the apps', async () => {
    // The master holding this prefix's presence keys (one slot, by their hash tag) is the one to
    // crash, and the rooms are chosen so that their channels live on it too.
    const victim = await cluster.nodeFor(`{${keyPrefix}:presence}`);
    const room = await roomOn(victim, '/rooms', 'news');
    const lobby = await roomOn(victim, '/chat', 'lobby');

    // A client on A broadcasts to a room a client on B is in, every 50 ms, numbering each message.
    const listener = await connectAs(b, 'listener');
    await listener.emitWithAck('join', room);
    const heard: Array<{ seq: number; at: number }> = [];
    listener.on('shouted', (text: string) => heard.push({ seq: Number(text), at: Date.now() }));
    const sender = await connectAs(a, 'sender');
    let seq = 0;
    const pump = setInterval(() => sender.emit('shout', { room, text: String(seq++) }), 50);

    const chat = (instance: RealtimeTestingApp, userId: string) => instance.connect({ namespace: 'chat', auth: { token: sign({ sub: userId }) } });
    const observer = await chat(b, 'observer');
    await observer.emitWithAck('joinRoom', { room: lobby });
    const diffs = collect<PresenceDiff>(observer, 'presence:diff');
    const joined = (userId: string) => diffs.some((diff) => diff.joined.some((user) => user.userId === userId));
    const sockets: Socket[] = [await chat(a, 'before')];
    try {
      await sockets[0]!.emitWithAck('joinRoom', { room: lobby });
      await until(() => joined('before') && heard.length >= 5, 10_000, 'the join and the broadcasts flowing before the crash');

      await cluster.kill(victim);
      const killedAt = Date.now();
      const lastSentBefore = seq - 1;
      const promoted = await cluster.waitForFailover(victim, 30_000);
      const promotedAfter = Date.now() - killedAt;

      // Delivery resumes by itself: a message sent after the crash reaches B.
      await until(() => heard.some((message) => message.seq > lastSentBefore), RECOVERY_BOUND_MS, 'a broadcast sent after the crash to reach the other instance');
      const resumedAfter = heard.find((message) => message.seq > lastSentBefore)!.at - killedAt;
      console.log(`failover (${kind}): replica ${promoted} promoted after ${promotedAfter} ms; delivery resumed after ${resumedAfter} ms (cluster-node-timeout ${NODE_TIMEOUT_MS} ms)`);
      expect(resumedAfter).toBeLessThan(RECOVERY_BOUND_MS);
      expect(await cluster.masters()).toContain(promoted);

      // Presence: a join after the failover is seen on the other instance, and both agree on the room.
      const afterJoinAt = Date.now();
      sockets.push(await chat(a, 'after'));
      expect(await sockets[1]!.emitWithAck('joinRoom', { room: lobby })).toMatchObject({ status: 'ok' });
      await until(() => joined('after'), RECOVERY_BOUND_MS, 'the join after the failover on the other instance');
      console.log(`failover (${kind}): a presence join crossed instances ${Date.now() - afterJoinAt} ms after it was made`);
      const names = async (instance: RealtimeTestingApp) => (await instance.app.get(PresenceService).list(lobby, CHAT)).map((entry) => entry.userId).sort();
      expect(await names(a)).toEqual(['after', 'before', 'observer']);
      expect(await names(b)).toEqual(['after', 'before', 'observer']);

      // Still flowing, and nothing crashed or was left unhandled.
      const count = heard.length;
      await until(() => heard.length > count + 5, 5000, 'more broadcasts after the failover');
      expect(rejections).toEqual([]);
    } finally {
      clearInterval(pump);
      for (const socket of [...sockets, observer, sender, listener]) socket.close();
    }
  }, 90_000);
});
