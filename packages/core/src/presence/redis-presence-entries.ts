import { hashTaggedPrefix } from '../redis/hash-tag.js';
import { command, evalScript, isClusterClient, type AnyRedisClient } from '../redis/redis-client.js';
import type { BigRoomBand } from './presence-mode.js';
import type { PresenceMeta, PresenceUser } from './presence.interfaces.js';
import { presenceUser, type PresenceEntry, type PresenceStoreCount, type ReapedLeave } from './presence.store.js';
import { ADD_ENTRIES_SCRIPT, COUNT_SCRIPT, PAGE_SCRIPT, PRESENCE_SCRIPT_BATCH, REMOVE_ENTRIES_SCRIPT, UPDATE_SCRIPT } from './redis-presence.scripts.js';

/**
 * An instance's record of one of its connections, so survivors can remove it if the instance dies.
 * `room` is the room's key: the survivor reports it back as is, and the namespace in it says where
 * to announce the leave.
 */
export type PresenceMember = [room: string, userId: string, connectionId: string];

/** A user of a room as Redis hands it out: with the sequence number of their first join. */
export interface RankedUser {
  user: PresenceUser;
  sequence: number;
}

// Names unlike those of the layout before pages (`room`, `room-users`, `user-rooms`, `instance`),
// so an older instance sharing the prefix never reads these as its own, nor these scripts its keys.
// `instances` (the heartbeats) and `user-connections` (the cluster-wide connection limit) kept
// their meaning, and their names.
type KeyKind =
  | 'room-connections'
  | 'room-user-order'
  | 'room-user-metas'
  | 'room-sequence'
  | 'room-big'
  | 'user-room-connections'
  | 'instance-connections'
  | 'instances'
  | 'user-connections';

/**
 * The Redis layout of presence under one prefix, its scripts and its reads. Per room: a hash
 * connectionId → userId (its length is the connection count), a sorted set of users scored by the
 * sequence number of their first join (a counter of the room hands them out; its cardinality is the
 * user count, and a page is a range of it), a hash userId → that user's metas, and, while the room
 * is big, a key that says so (set and cleared by the scripts that add and remove users, by `band`;
 * a room stored before it existed reads as not big, which gives the rule of the count alone). Per user: a hash
 * room → connection count. Per instance: a set of its connections; and one sorted set of instance
 * heartbeats. No read or write of one connection or user touches the rest of its room. Adding and
 * removing go in batches of `PRESENCE_SCRIPT_BATCH` entries per script, so an instance's thousands
 * of connections cost a few round trips, not thousands.
 *
 * On a Redis Cluster, where the keys of one script must share a hash slot, the prefix becomes a
 * hash tag (`{socket.io:presence}:room-connections:…`): all presence of one prefix lives in one
 * slot, so on one master (and its replicas). A script's batch spans rooms, users and the
 * instance's set, which no narrower tag could keep together. A single Redis keeps the untagged
 * names.
 */
export class RedisPresenceEntries {
  private readonly prefix: string;

  private readonly bandArgs: string[];

  constructor(
    private readonly client: AnyRedisClient,
    prefix: string,
    band: BigRoomBand,
  ) {
    this.prefix = isClusterClient(client) ? hashTaggedPrefix(prefix) : prefix;
    this.bandArgs = [String(band.bigRoomUsers), String(band.bigRoomExitUsers)];
  }

  /** The key of one kind of record (`id` is a room key, a user id or an instance id). */
  key(kind: KeyKind, id = ''): string {
    return `${this.prefix}:${kind}${id ? `:${id}` : ''}`;
  }

  /** How an entry is listed in its instance's set. */
  member(room: string, userId: string, connectionId: string): string {
    return JSON.stringify([room, userId, connectionId] satisfies PresenceMember);
  }

  /** Writes the instance's entries; returns those that were their user's first connection in the room. */
  async add(instanceId: string, entries: PresenceEntry[]): Promise<PresenceEntry[]> {
    const first: PresenceEntry[] = [];
    for (const batch of batches(entries)) {
      const keys = [this.key('instance-connections', instanceId)];
      const args = [...this.bandArgs];
      for (const { room, userId, meta } of batch) {
        keys.push(...this.entryKeys(room, userId));
        args.push(meta.connectionId, userId, room, this.member(room, userId, meta.connectionId), JSON.stringify(meta));
      }
      for (const position of await this.positions(ADD_ENTRIES_SCRIPT, keys, args)) first.push(batch[position - 1]!);
    }
    return first;
  }

  /** Removes the instance's entries; returns the leaves of users whose last connection in a room it was. */
  async remove(instanceId: string, members: PresenceMember[]): Promise<ReapedLeave[]> {
    const leaves: ReapedLeave[] = [];
    for (const batch of batches(members)) {
      const keys = [this.key('instance-connections', instanceId)];
      const args = [...this.bandArgs];
      for (const [room, userId, connectionId] of batch) {
        keys.push(...this.entryKeys(room, userId));
        args.push(connectionId, userId, room, this.member(room, userId, connectionId));
      }
      for (const position of await this.positions(REMOVE_ENTRIES_SCRIPT, keys, args)) {
        const [room, userId] = batch[position - 1]!;
        leaves.push({ room, userId });
      }
    }
    return leaves;
  }

  /** Replaces a connection's stored meta; `false` when Redis does not hold it. */
  async update(room: string, userId: string, meta: PresenceMeta): Promise<boolean> {
    const keys = [this.key('room-connections', room), this.key('room-user-metas', room)];
    return Number(await evalScript(this.client, UPDATE_SCRIPT, keys, [meta.connectionId, userId, JSON.stringify(meta)])) === 1;
  }

  /** Up to `limit` users (every one with `limit` -1) whose first join came after the sequence number `after`, in join order. */
  async users(room: string, after: number, limit: number): Promise<RankedUser[]> {
    const keys = [this.key('room-user-order', room), this.key('room-user-metas', room)];
    const flat = (await evalScript(this.client, PAGE_SCRIPT, keys, [String(after), String(limit)])) as (string | null)[];
    const ranked: RankedUser[] = [];
    for (let i = 0; i < flat.length; i += 3) {
      const [userId, sequence, metas] = [flat[i]!, flat[i + 1]!, flat[i + 2]];
      // Both written by one script: a user without metas would be a bug, not a state to show.
      if (metas) ranked.push({ user: storedUser(userId, metas), sequence: Number(sequence) });
    }
    return ranked;
  }

  /** The user's entry in the room, or `undefined`: one key read. */
  async user(room: string, userId: string): Promise<PresenceUser | undefined> {
    const metas = (await command(this.client, ['HGET', this.key('room-user-metas', room), userId])) as string | null;
    return metas ? storedUser(userId, metas) : undefined;
  }

  /** The room's user and connection counts and its big state, in one script. */
  async count(room: string): Promise<PresenceStoreCount> {
    const keys = [this.key('room-user-order', room), this.key('room-connections', room), this.key('room-big', room)];
    const [users, connections, big] = ((await evalScript(this.client, COUNT_SCRIPT, keys, [])) as unknown[]).map(Number);
    const count = { users: users!, connections: connections! };
    return big === 1 ? { ...count, big: true } : count;
  }

  /** The keys of the rooms the user has a connection in. */
  async roomsOf(userId: string): Promise<string[]> {
    return (await command(this.client, ['HKEYS', this.key('user-room-connections', userId)])) as string[];
  }

  /** Whether the user has a connection in any room. */
  async isOnline(userId: string): Promise<boolean> {
    return Number(await command(this.client, ['EXISTS', this.key('user-room-connections', userId)])) === 1;
  }

  /** Every entry the instance recorded (as raw member strings). */
  async membersOf(instanceId: string): Promise<string[]> {
    return (await command(this.client, ['SMEMBERS', this.key('instance-connections', instanceId)])) as string[];
  }

  /** Removes every entry the instance recorded; returns the leaves. */
  async removeInstance(instanceId: string): Promise<ReapedLeave[]> {
    const members = await this.membersOf(instanceId);
    return this.remove(instanceId, members.map((raw) => JSON.parse(raw) as PresenceMember));
  }

  private async positions(script: string, keys: string[], args: string[]): Promise<number[]> {
    return ((await evalScript(this.client, script, keys, args)) as unknown[]).map(Number);
  }

  /** The keys an entry's script touches, in the order of `ENTRY_KEYS` (see the scripts). */
  private entryKeys(room: string, userId: string): string[] {
    return [
      this.key('room-connections', room),
      this.key('room-user-order', room),
      this.key('room-user-metas', room),
      this.key('room-sequence', room),
      this.key('user-room-connections', userId),
      this.key('room-big', room),
    ];
  }
}

/** A user from their stored metas object (connectionId → meta JSON). */
function storedUser(userId: string, stored: string): PresenceUser {
  return presenceUser(userId, Object.values(JSON.parse(stored) as Record<string, string>).map((meta) => JSON.parse(meta) as PresenceMeta));
}

/** The items in slices of at most `PRESENCE_SCRIPT_BATCH`. */
function batches<T>(items: T[]): T[][] {
  const slices: T[][] = [];
  for (let i = 0; i < items.length; i += PRESENCE_SCRIPT_BATCH) slices.push(items.slice(i, i + PRESENCE_SCRIPT_BATCH));
  return slices;
}
