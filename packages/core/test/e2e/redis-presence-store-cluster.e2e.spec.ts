import { Cluster as IoRedisCluster } from 'ioredis';
import { createCluster } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisPresenceStore } from '../../src/index.js';
import type { ReapedLeave } from '../../src/presence/presence.store.js';
import type { BigRoomBand } from '../../src/presence/presence-mode.js';
import type { AnyRedisClient } from '../../src/redis/redis-client.js';
import { RedisClusterTestServer } from '../../src/testing/index.js';
import { ManualClock } from '../support/manual-clock.js';
import { expectBigRoomState, SMALL_BAND } from '../support/presence-big-room.js';
import { expectPagesInFirstJoinOrder, expectPagingUnderChurn } from '../support/presence-paging.js';

const TTL_MS = 3000;
const ROOM = '/#lobby';

type ClusterKind = 'node-redis createCluster()' | 'ioredis Cluster';

/** A connected cluster client of `kind`. */
async function clusterClient(kind: ClusterKind, url: string): Promise<{ client: AnyRedisClient; close(): Promise<unknown> }> {
  if (kind === 'ioredis Cluster') {
    const client = new IoRedisCluster([url], { lazyConnect: true });
    client.on('error', () => undefined);
    await client.connect();
    return { client: client as unknown as AnyRedisClient, close: () => client.quit() };
  }
  const client = createCluster({ rootNodes: [{ url }] });
  client.on('error', () => undefined);
  await client.connect();
  return { client: client as unknown as AnyRedisClient, close: () => client.close() };
}

let cluster: RedisClusterTestServer;
beforeAll(async () => {
  cluster = await RedisClusterTestServer.start();
}, 60_000);
afterAll(() => cluster?.stop());

/**
 * The Redis presence store's scripts on a Redis Cluster, where every key of a script must share
 * one slot (else: CROSSSLOT): pages, and reaping a dead instance of a big room.
 */
describe.each<ClusterKind>(['node-redis createCluster()', 'ioredis Cluster'])('RedisPresenceStore on Redis Cluster (%s)', (kind) => {
  const clients: { close(): Promise<unknown> }[] = [];
  const prefix = `cluster-${kind.replace(/\W/g, '')}`;
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
  });

  async function store(name: string, clock = new ManualClock(), band?: BigRoomBand) {
    const connection = await clusterClient(kind, cluster.urls[0]!);
    clients.push(connection);
    return new RedisPresenceStore(connection.client, `${prefix}-${name}`, TTL_MS, clock, undefined, band);
  }

  it('keeps big rooms\' state in the slot of the prefix, with the room', async () => {
    await expectBigRoomState(await store('big', new ManualClock(), SMALL_BAND), ROOM);
  });

  it('pages in the order of first join, and through a 2,000-member room while others join and leave', async () => {
    await expectPagesInFirstJoinOrder(await store('order'), ROOM);
    await expectPagingUnderChurn(await store('churn'), { room: ROOM, members: 2000, pageSize: 50, changesPerPage: 5, seed: 11 });
  });

  it("reaps a dead instance's 2,000 connections in one room within ttlMs", async () => {
    const dyingClock = new ManualClock();
    const survivorClock = new ManualClock();
    const dying = await store('reap', dyingClock);
    const survivor = await store('reap', survivorClock);
    const reaped: ReapedLeave[][] = [];
    dying.start(() => undefined);
    await dyingClock.whenScheduled();
    survivor.start((leaves) => reaped.push(leaves));
    await survivorClock.whenScheduled();
    await Promise.all(Array.from({ length: 2000 }, (_, i) => dying.join({ room: ROOM, userId: `u${i}`, meta: { connectionId: `c${i}`, joinedAt: i } })));
    await survivor.join({ room: ROOM, userId: 'bob', meta: { connectionId: 'bob-1', joinedAt: 1 } });
    expect(await survivor.count(ROOM)).toEqual({ users: 2001, connections: 2001, big: true });

    while (reaped.length === 0 && survivorClock.now() - dyingClock.now() < TTL_MS) {
      survivorClock.advance(TTL_MS / 3);
      await survivorClock.whenScheduled();
    }
    expect(reaped, 'reaped within ttlMs').toHaveLength(1);
    expect(reaped[0]).toHaveLength(2000);
    expect(await survivor.count(ROOM)).toEqual({ users: 1, connections: 1 });
    expect(await survivor.page(ROOM, undefined, 10)).toEqual({ users: [{ userId: 'bob', metas: [{ connectionId: 'bob-1', joinedAt: 1 }] }], next: null });
  });
});
