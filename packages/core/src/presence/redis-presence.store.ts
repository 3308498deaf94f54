import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { command, evalScript, isClientReady, type AnyRedisClient } from '../redis/redis-client.js';
import { MemoryPresenceStore } from './memory-presence.store.js';
import type { PresenceCount, PresenceMeta, PresenceMetaInput, PresenceUser } from './presence.interfaces.js';
import { groupByUser, PresenceStore, type PresenceEntry, type ReapedLeave } from './presence.store.js';
import { JOIN_SCRIPT, LEAVE_SCRIPT, UPDATE_SCRIPT } from './redis-presence.scripts.js';

interface StoredEntry {
  userId: string;
  meta: PresenceMeta;
}

/**
 * An instance's record of one of its connections, so survivors can remove it if the instance dies.
 * `room` is the room's key: the survivor reports it back as is, and the namespace in it says where
 * to announce the leave.
 */
type Member = [room: string, userId: string, connectionId: string];

/**
 * Presence shared by every instance through Redis. Counts and the user index are kept next to
 * the entries, so `count()` and `isOnline()` read one key. Rooms arrive as keys that hold their
 * namespace (`PresenceEntry.room`): each namespace's room has Redis keys of its own, and the user's
 * index lists their rooms of every namespace (so `isOnline()` stays app-wide). Each instance
 * heartbeats; an instance silent for `ttlMs` is claimed by exactly one survivor, which removes its
 * connections and reports the users who thereby left.
 */
export class RedisPresenceStore extends PresenceStore {
  private readonly logger = new Logger('RealtimePresence');
  private readonly instanceId = randomUUID();
  private timer?: NodeJS.Timeout;
  // Counted from creation: the first beat follows at once.
  private lastBeatAt = Date.now();
  /** This instance's own connections: the truth to re-sync Redis from, and the answer while it is down. */
  private readonly local = new MemoryPresenceStore();
  private degraded = false;
  private needsResync = false;
  private recoveredAt = 0;

  constructor(
    private readonly client: AnyRedisClient,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {
    super();
  }

  async join(entry: PresenceEntry): Promise<boolean> {
    const firstHere = await this.local.join(entry);
    return this.orLocal(() => this.joinInRedis(entry), firstHere, { write: true });
  }

  private async joinInRedis({ room, userId, meta }: PresenceEntry): Promise<boolean> {
    const member = this.member(room, userId, meta.connectionId);
    const first = await evalScript(this.client, JOIN_SCRIPT, this.roomKeys(room, userId, this.instanceId), [
      meta.connectionId,
      JSON.stringify({ userId, meta } satisfies StoredEntry),
      userId,
      room,
      member,
    ]);
    return Number(first) === 1;
  }

  async leave(room: string, userId: string, connectionId: string): Promise<boolean> {
    const lastHere = await this.local.leave(room, userId, connectionId);
    return this.orLocal(() => this.leaveFor(this.instanceId, [room, userId, connectionId]), lastHere, { write: true });
  }

  async update(room: string, userId: string, connectionId: string, meta: PresenceMetaInput): Promise<boolean> {
    const updatedHere = await this.local.update(room, userId, connectionId, meta);
    return this.orLocal(() => this.updateInRedis(room, userId, connectionId, meta), updatedHere, { write: true });
  }

  private async updateInRedis(room: string, userId: string, connectionId: string, meta: PresenceMetaInput): Promise<boolean> {
    const entry = await this.entry(room, connectionId);
    if (!entry || entry.userId !== userId) return false;
    const stored: StoredEntry = { ...entry, meta: { ...meta, connectionId, joinedAt: entry.meta.joinedAt } };
    return Number(await evalScript(this.client, UPDATE_SCRIPT, [this.key('room', room)], [connectionId, JSON.stringify(stored)])) === 1;
  }

  async list(room: string): Promise<PresenceUser[]> {
    return this.orLocal(() => this.listInRedis(room), () => this.local.list(room));
  }

  private async listInRedis(room: string): Promise<PresenceUser[]> {
    const flat = (await command(this.client, ['HVALS', this.key('room', room)])) as string[];
    return groupByUser(flat.map((raw) => JSON.parse(raw) as StoredEntry));
  }

  async count(room: string): Promise<PresenceCount> {
    return this.orLocal(() => this.countInRedis(room), () => this.local.count(room));
  }

  private async countInRedis(room: string): Promise<PresenceCount> {
    const [users, connections] = await Promise.all([
      command(this.client, ['HLEN', this.key('room-users', room)]),
      command(this.client, ['HLEN', this.key('room', room)]),
    ]);
    return { users: Number(users), connections: Number(connections) };
  }

  async roomsOf(userId: string): Promise<string[]> {
    return this.orLocal(
      async () => (await command(this.client, ['HKEYS', this.key('user-rooms', userId)])) as string[],
      () => this.local.roomsOf(userId),
    );
  }

  async isOnline(userId: string): Promise<boolean> {
    return this.orLocal(
      async () => Number(await command(this.client, ['EXISTS', this.key('user-rooms', userId)])) === 1,
      () => this.local.isOnline(userId),
    );
  }

  /**
   * Runs a Redis operation; while Redis is unreachable, answers from this instance's own
   * connections instead (degraded: other instances' users are missing), logging once per outage.
   * A failed write leaves Redis behind: it is re-synced from here once Redis answers again.
   */
  private async orLocal<T>(inRedis: () => Promise<T>, here: T | (() => Promise<T>), { write = false } = {}): Promise<T> {
    try {
      // A disconnected client would queue the command until Redis is back: answer now instead.
      if (!isClientReady(this.client)) throw new Error('not connected');
      const result = await inRedis();
      this.redisAnswered();
      return result;
    } catch (error) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn(`Redis unreachable (${(error as Error).message}): presence answers from this instance's connections only until it is back.`);
      }
      if (write) this.needsResync = true;
      return typeof here === 'function' ? (here as () => Promise<T>)() : here;
    }
  }

  private redisAnswered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.recoveredAt = Date.now();
    this.logger.log('Redis is back: presence is shared again.');
  }

  /** Puts exactly this instance's connections back into Redis (after an outage, or when Redis lost them). */
  private async resync(): Promise<void> {
    this.needsResync = false;
    await this.removeInstance(this.instanceId);
    const entries = this.local.entries();
    for (const entry of entries) await this.joinInRedis(entry);
    this.logger.log(`Presence re-synced to Redis: ${entries.length} connection(s) of this instance.`);
  }

  override start(onReaped: (leaves: ReapedLeave[]) => void): void {
    let beaten = false;
    const beat = async () => {
      try {
        const added = Number(await command(this.client, ['ZADD', this.key('instances'), String(Date.now()), this.instanceId]));
        this.lastBeatAt = Date.now();
        this.redisAnswered();
        // Our heartbeat entry was gone: Redis lost its data, or another instance reaped us during an outage.
        if (added === 1 && beaten) this.needsResync = true;
        beaten = true;
        if (this.needsResync) await this.resync();
        // Right after an outage every heartbeat is stale: give the others a ttl to beat again before reaping.
        if (Date.now() - this.recoveredAt < this.ttlMs) return;
        const leaves = await this.reapDeadInstances();
        if (leaves.length > 0) onReaped(leaves);
      } catch (error) {
        // Redis is down: the client logs it; presence catches up at the next beat.
        this.logger.debug(`presence heartbeat failed: ${(error as Error).message}`);
      }
    };
    void beat();
    this.timer = setInterval(beat, Math.max(100, Math.floor(this.ttlMs / 3))).unref();
  }

  override lastHeartbeatAt(): number {
    return this.lastBeatAt;
  }

  override async stop(): Promise<ReapedLeave[]> {
    clearInterval(this.timer);
    // Redis unreachable: a queued command would hold app.close() until it is back. The survivors reap us after ttlMs.
    if (this.degraded || !isClientReady(this.client)) return [];
    try {
      await command(this.client, ['ZREM', this.key('instances'), this.instanceId]);
      return await this.removeInstance(this.instanceId);
    } catch {
      return []; // Redis unreachable: the survivors reap us after ttlMs
    }
  }

  /** Exactly one survivor claims a dead instance (ZREM answers 1 to one caller only). */
  private async reapDeadInstances(): Promise<ReapedLeave[]> {
    const dead = (await command(this.client, ['ZRANGEBYSCORE', this.key('instances'), '-inf', String(Date.now() - this.ttlMs)])) as string[];
    const leaves: ReapedLeave[] = [];
    for (const instanceId of dead) {
      if (Number(await command(this.client, ['ZREM', this.key('instances'), instanceId])) !== 1) continue;
      this.logger.warn(`Instance ${instanceId} stopped heartbeating: removing its presence`);
      leaves.push(...(await this.removeInstance(instanceId)));
    }
    return leaves;
  }

  private async removeInstance(instanceId: string): Promise<ReapedLeave[]> {
    const members = (await command(this.client, ['SMEMBERS', this.key('instance', instanceId)])) as string[];
    const leaves: ReapedLeave[] = [];
    for (const raw of members) {
      const member = JSON.parse(raw) as Member;
      if (await this.leaveFor(instanceId, member)) leaves.push({ room: member[0], userId: member[1] });
    }
    await command(this.client, ['DEL', this.key('instance', instanceId)]);
    return leaves;
  }

  private async leaveFor(instanceId: string, [room, userId, connectionId]: Member): Promise<boolean> {
    const last = await evalScript(this.client, LEAVE_SCRIPT, this.roomKeys(room, userId, instanceId), [
      connectionId,
      userId,
      room,
      this.member(room, userId, connectionId),
    ]);
    return Number(last) === 1;
  }

  private async entry(room: string, connectionId: string): Promise<StoredEntry | undefined> {
    const raw = (await command(this.client, ['HGET', this.key('room', room), connectionId])) as string | null;
    return raw ? (JSON.parse(raw) as StoredEntry) : undefined;
  }

  private member(room: string, userId: string, connectionId: string): string {
    return JSON.stringify([room, userId, connectionId] satisfies Member);
  }

  private roomKeys(room: string, userId: string, instanceId: string): string[] {
    return [this.key('room', room), this.key('room-users', room), this.key('user-rooms', userId), this.key('instance', instanceId)];
  }

  private key(kind: 'room' | 'room-users' | 'user-rooms' | 'instance' | 'instances', id = ''): string {
    return `${this.prefix}:${kind}${id ? `:${id}` : ''}`;
  }
}
