import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { command, isClientReady, type AnyRedisClient } from '../redis/redis-client.js';
import { RedisOutageLog } from '../redis/redis-outage-log.js';
import { HeartbeatLoop } from './heartbeat-loop.js';
import { KeyedSerialQueue } from './keyed-serial-queue.js';
import { systemPresenceClock, type PresenceClock } from './presence-clock.js';
import { presenceCursor, readPresenceCursor } from './presence-cursor.js';
import { PresenceIndex } from './presence-index.js';
import { DEFAULT_BIG_ROOM_BAND, type BigRoomBand } from './presence-mode.js';
import type { PresenceMetaInput, PresenceUser } from './presence.interfaces.js';
import { PresenceStore, type PresenceEntry, type PresenceStoreCount, type PresenceStorePage, type ReapedLeave } from './presence.store.js';
import { RedisPresenceEntries, type PresenceMember } from './redis-presence-entries.js';
import type { SharedHeartbeat } from './shared-heartbeat.js';

/**
 * How long the store waits on Redis when the app closes before leaving its presence for the other
 * instances to reap: long enough for a healthy Redis under load, short next to a grace period.
 */
export const PRESENCE_STOP_TIMEOUT_MS = 2000;

/**
 * Presence shared by every instance through Redis (layout: `RedisPresenceEntries`). Counts, the
 * room's join order and the user index are kept next to the entries, so `count()`, `userIn()`,
 * `isOnline()` and each page read only what they answer, never a whole room (only `list()` does).
 * A page cursor is the sequence number of the page's last user: each user gets the room's next one
 * at their first join. Rooms arrive as keys that hold their namespace (`PresenceEntry.room`): each
 * namespace's room has Redis keys of its own, and the user's index lists their rooms of every
 * namespace (so `isOnline()` stays app-wide). Each instance heartbeats; an instance silent for
 * `ttlMs` is claimed by exactly one survivor, which removes its connections (a batch per script,
 * each connection costing the same in a room of any size) and reports the users who thereby left.
 *
 * This instance's own connections are also kept here (`local`): the truth Redis is re-synced from,
 * and the answer while Redis is down. Each change to them is made here and its Redis write queued
 * in the same synchronous step, one queue per connection and room, so Redis sees one connection's
 * joins and leaves in the order they happened, and a re-sync (which runs alone) sees exactly the
 * connections whose writes were queued before it.
 */
export class RedisPresenceStore extends PresenceStore {
  private readonly logger = new Logger('RealtimePresence');
  private readonly instanceId = randomUUID();
  private heartbeat?: HeartbeatLoop;
  private stopped = false;
  private lastBeatAt: number;
  private readonly local: PresenceIndex;
  private readonly writes = new KeyedSerialQueue();
  private readonly redis: RedisPresenceEntries;
  private readonly outage = RedisOutageLog.forContext('RealtimePresence', {
    whileDown: "presence answers from this instance's connections only until it is back.",
    back: 'presence is shared again.',
  });
  private needsResync = false;
  private recoveredAt = 0;
  private readonly resyncListeners: (() => Promise<void>)[] = [];

  /**
   * @param client a connected node-redis or ioredis client
   * @param prefix the prefix of every key this store writes
   * @param ttlMs how long an instance may miss heartbeats before the others remove its connections
   * @param clock where time and timers come from; @default the system clock
   * @param stopTimeoutMs how long `stop()` waits on Redis at shutdown; @default PRESENCE_STOP_TIMEOUT_MS (2 s)
   * @param band `presence.bigRoomUsers` and `bigRoomExitUsers`, by which each room's big state is
   *   kept; every instance sharing the prefix should have the same. @default DEFAULT_BIG_ROOM_BAND (200 and 150)
   */
  constructor(
    private readonly client: AnyRedisClient,
    prefix: string,
    private readonly ttlMs: number,
    private readonly clock: PresenceClock = systemPresenceClock,
    private readonly stopTimeoutMs = PRESENCE_STOP_TIMEOUT_MS,
    band: BigRoomBand = DEFAULT_BIG_ROOM_BAND,
  ) {
    super();
    this.redis = new RedisPresenceEntries(client, prefix, band);
    this.local = new PresenceIndex(band);
    // Counted from creation: the first beat follows at once.
    this.lastBeatAt = clock.now();
  }

  async join(entry: PresenceEntry): Promise<boolean> {
    // A connection is one user's (a socket's); should its id come back under another user, that
    // user's entry leaves first, as the index here drops it, so Redis never holds it twice.
    const holder = this.local.holderOf(entry.room, entry.meta.connectionId);
    if (holder !== undefined && holder !== entry.userId) void this.leave(entry.room, holder, entry.meta.connectionId);
    const firstHere = this.local.join(entry);
    const firstInRedis = async () => (await this.queued(entry.room, entry.meta.connectionId, () => this.redis.add(this.instanceId, [entry]))).length > 0;
    return this.orLocal(firstInRedis, firstHere, { write: true });
  }

  async leave(room: string, userId: string, connectionId: string): Promise<boolean> {
    const lastHere = this.local.leave(room, connectionId);
    const lastInRedis = async () =>
      (await this.queued(room, connectionId, () => this.redis.remove(this.instanceId, [[room, userId, connectionId]]))).length > 0;
    return this.orLocal(lastInRedis, lastHere, { write: true });
  }

  async update(room: string, userId: string, connectionId: string, meta: PresenceMetaInput): Promise<boolean> {
    // Only this instance writes its connections: one it does not hold is in Redis nowhere.
    const entry = this.local.update(room, connectionId, meta);
    if (!entry) return false;
    const stored = { ...entry.meta };
    const updateInRedis = async () => {
      await this.queued(room, connectionId, () => this.redis.update(room, userId, stored));
      return true;
    };
    return this.orLocal(updateInRedis, true, { write: true });
  }

  /** Queues a write of one connection in one room behind that connection's earlier writes (and any re-sync). */
  private queued<T>(room: string, connectionId: string, write: () => Promise<T>): Promise<T> {
    return this.writes.run(JSON.stringify([room, connectionId]), write);
  }

  async list(room: string): Promise<PresenceUser[]> {
    return this.orLocal(
      async () => (await this.redis.users(room, 0, -1)).map(({ user }) => user),
      () => this.local.list(room),
    );
  }

  /**
   * While Redis is down, a page comes from this instance's connections, the cursor read as a
   * position of this instance's own order: degraded, as every answer is then.
   */
  override async page(room: string, cursor: string | undefined, limit: number): Promise<PresenceStorePage> {
    const after = readPresenceCursor(cursor);
    return this.orLocal(
      async () => {
        // One more than asked for tells whether a next page exists.
        const ranked = await this.redis.users(room, after, limit + 1);
        const users = ranked.slice(0, limit).map(({ user }) => user);
        return { users, next: ranked.length > limit ? presenceCursor(ranked[limit - 1]!.sequence) : null };
      },
      () => this.local.page(room, after, limit),
    );
  }

  async count(room: string): Promise<PresenceStoreCount> {
    return this.orLocal(() => this.redis.count(room), () => this.local.count(room));
  }

  override async userIn(room: string, userId: string): Promise<PresenceUser | undefined> {
    return this.orLocal(() => this.redis.user(room, userId), () => this.local.userIn(room, userId));
  }

  async roomsOf(userId: string): Promise<string[]> {
    return this.orLocal(() => this.redis.roomsOf(userId), () => this.local.roomsOf(userId));
  }

  async isOnline(userId: string): Promise<boolean> {
    return this.orLocal(() => this.redis.isOnline(userId), () => this.local.isOnline(userId));
  }

  /**
   * Runs a Redis operation; while Redis is unreachable, answers from this instance's own
   * connections instead (degraded: other instances' users are missing), logging once per outage.
   * A failed write leaves Redis behind: it is re-synced from here once Redis answers again.
   * `inRedis` is called synchronously, so a write it queues is queued in the caller's step.
   */
  private async orLocal<T>(inRedis: () => Promise<T>, here: T | (() => T), { write = false } = {}): Promise<T> {
    try {
      // A disconnected client would queue the command until Redis is back: answer now instead.
      if (!isClientReady(this.client)) throw new Error('not connected');
      const result = await inRedis();
      this.redisAnswered();
      return result;
    } catch (error) {
      this.outage.failed(error);
      if (write) this.needsResync = true;
      return typeof here === 'function' ? (here as () => T)() : here;
    }
  }

  private redisAnswered(): void {
    if (this.outage.answered()) this.recoveredAt = this.clock.now();
  }

  /**
   * Makes Redis hold exactly this instance's connections again (after an outage, or when Redis
   * lost them): the ones it holds here are written back, the ones it no longer holds are removed.
   * The snapshot is taken as the re-sync is queued, alone: every write queued before it lands
   * first, every write queued after it (a connection leaving, or leaving and joining again,
   * meanwhile) lands after it, so nothing that left is written back. Returns the leaves of
   * connections that left while Redis missed it, for the other instances to hear.
   */
  private resync(): Promise<ReapedLeave[]> {
    this.needsResync = false;
    const snapshot = this.local.entries();
    return this.writes
      .runAlone(async () => {
        const held = new Set(snapshot.map(({ room, userId, meta }) => this.redis.member(room, userId, meta.connectionId)));
        const inRedis = await this.redis.membersOf(this.instanceId);
        const gone = inRedis.filter((member) => !held.has(member)).map((member) => JSON.parse(member) as PresenceMember);
        const leaves = await this.redis.remove(this.instanceId, gone);
        await this.redis.add(this.instanceId, snapshot);
        this.logger.log(`Presence re-synced to Redis: ${snapshot.length} connection(s) of this instance.`);
        return leaves;
      })
      .catch((error: unknown) => {
        this.needsResync = true; // Redis failed midway: try again at the next heartbeat
        throw error;
      });
  }

  override start(onReaped: (leaves: ReapedLeave[]) => void): void {
    let beaten = false;
    const beat = async () => {
      // An unready client would hold the heartbeat until Redis is back, then write a stale time.
      if (!isClientReady(this.client)) return;
      try {
        const added = Number(await command(this.client, ['ZADD', this.redis.key('instances'), String(this.clock.now()), this.instanceId]));
        this.lastBeatAt = this.clock.now();
        this.redisAnswered();
        // Our heartbeat entry was gone: Redis lost its data, or another instance reaped us during an outage.
        if (added === 1 && beaten) this.needsResync = true;
        beaten = true;
        const report = (leaves: ReapedLeave[]) => {
          if (leaves.length > 0) onReaped(leaves);
        };
        if (this.needsResync && !this.stopped) {
          report(await this.resync());
          for (const listener of this.resyncListeners) await listener();
        }
        // Right after an outage every heartbeat is stale: give the others a ttl to beat again before reaping.
        if (this.clock.now() - this.recoveredAt >= this.ttlMs && !this.stopped) report(await this.reapDeadInstances());
      } catch (error) {
        // Redis is down: the client logs it; presence catches up at the next beat.
        this.logger.debug(`presence heartbeat failed: ${(error as Error).message}`);
      }
    };
    this.heartbeat = new HeartbeatLoop(beat, Math.max(100, Math.floor(this.ttlMs / 3)), this.clock);
    this.heartbeat.start();
  }

  /** @internal This store's heartbeat, for the cluster-wide connection limit. */
  sharedHeartbeat(): SharedHeartbeat {
    return {
      client: this.client,
      instanceId: this.instanceId,
      instancesKey: this.redis.key('instances'),
      ttlMs: this.ttlMs,
      key: (kind, id) => this.redis.key(kind, id),
      now: () => this.clock.now(),
      onResync: (listener) => void this.resyncListeners.push(listener),
      requestResync: () => void (this.needsResync = true),
    };
  }

  override lastHeartbeatAt(): number {
    return this.lastBeatAt;
  }

  /**
   * Removes this instance's heartbeat and connections from Redis, so the others announce its
   * users' leaves at once. Waits on Redis at most `stopTimeoutMs`: a command that cannot complete
   * (sent to a master that died, on a cluster client that never finds its successor) would
   * otherwise hold `app.close()` for good. Past it, the removal is abandoned, logged once, and the
   * survivors reap this instance after `ttlMs`; the client is closed by its owner after this.
   */
  override async stop(): Promise<ReapedLeave[]> {
    this.stopped = true;
    const lastBeat = this.heartbeat?.stop();
    // Redis unreachable: a queued command would hold app.close() until it is back. The survivors reap us after ttlMs.
    if (this.outage.isDown || !isClientReady(this.client)) return [];
    let waitingOn = 'the heartbeat in flight';
    const removed = (async () => {
      try {
        // A heartbeat still in flight could otherwise add this instance back after it is removed.
        await lastBeat;
        waitingOn = "this instance's heartbeat entry";
        await command(this.client, ['ZREM', this.redis.key('instances'), this.instanceId]);
        waitingOn = `this instance's ${this.local.entries().length} connection(s)`;
        // After the writes already queued, so none of them lands once the instance is gone.
        return await this.writes.runAlone(() => this.redis.removeInstance(this.instanceId));
      } catch {
        return []; // Redis unreachable: the survivors reap us after ttlMs
      }
    })();
    let cancel = () => {};
    const abandoned = new Promise<undefined>((resolve) => (cancel = this.clock.schedule(() => resolve(undefined), this.stopTimeoutMs)));
    const leaves = await Promise.race([removed, abandoned]);
    cancel();
    if (leaves) return leaves;
    this.logger.warn(
      `Redis did not answer within ${this.stopTimeoutMs} ms at shutdown: stopped waiting to remove ${waitingOn}. ` +
        `The other instances remove this instance's presence after presence.ttlMs (${this.ttlMs} ms).`,
    );
    return [];
  }

  /** Exactly one survivor claims a dead instance (ZREM answers 1 to one caller only). */
  private async reapDeadInstances(): Promise<ReapedLeave[]> {
    const dead = (await command(this.client, ['ZRANGEBYSCORE', this.redis.key('instances'), '-inf', String(this.clock.now() - this.ttlMs)])) as string[];
    const leaves: ReapedLeave[] = [];
    for (const instanceId of dead) {
      // A heartbeat that waited on a slow Redis lands with the time it was sent at: this instance is alive all the same.
      if (instanceId === this.instanceId) continue;
      if (Number(await command(this.client, ['ZREM', this.redis.key('instances'), instanceId])) !== 1) continue;
      this.logger.warn(`Instance ${instanceId} stopped heartbeating: removing its presence`);
      leaves.push(...(await this.redis.removeInstance(instanceId)));
    }
    return leaves;
  }
}
