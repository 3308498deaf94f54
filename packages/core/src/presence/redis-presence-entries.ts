import { hashTaggedPrefix } from '../redis/hash-tag.js';
import { command, evalScript, isClusterClient, type AnyRedisClient } from '../redis/redis-client.js';
import type { PresenceMeta } from './presence.interfaces.js';
import type { PresenceEntry, ReapedLeave } from './presence.store.js';
import { ADD_ENTRIES_SCRIPT, PRESENCE_SCRIPT_BATCH, REMOVE_ENTRIES_SCRIPT, UPDATE_SCRIPT } from './redis-presence.scripts.js';

/** A connection's entry as Redis holds it, in the room's hash. */
export interface StoredEntry {
  userId: string;
  meta: PresenceMeta;
}

/**
 * An instance's record of one of its connections, so survivors can remove it if the instance dies.
 * `room` is the room's key: the survivor reports it back as is, and the namespace in it says where
 * to announce the leave.
 */
export type PresenceMember = [room: string, userId: string, connectionId: string];

type KeyKind = 'room' | 'room-users' | 'user-rooms' | 'instance' | 'instances' | 'user-connections';

/**
 * The Redis layout of presence under one prefix, and its writes: a hash of entries per room, a
 * hash of connection counts per user per room, a hash of rooms per user, a set of members per
 * instance and one sorted set of instance heartbeats. Adding and removing go in batches of
 * `PRESENCE_SCRIPT_BATCH` entries per script, so an instance's thousands of connections cost a
 * few round trips, not thousands.
 *
 * On a Redis Cluster, where the keys of one script must share a hash slot, the prefix becomes a
 * hash tag (`{socket.io:presence}:room:…`): all presence of one prefix lives in one slot, so on one
 * master (and its replicas). A script's batch spans rooms, users and the instance's set, which
 * no narrower tag could keep together. A single Redis keeps the untagged names.
 */
export class RedisPresenceEntries {
  private readonly prefix: string;

  constructor(
    private readonly client: AnyRedisClient,
    prefix: string,
  ) {
    this.prefix = isClusterClient(client) ? hashTaggedPrefix(prefix) : prefix;
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
      const keys = [this.key('instance', instanceId)];
      const args: string[] = [];
      for (const { room, userId, meta } of batch) {
        keys.push(...this.entryKeys(room, userId));
        args.push(meta.connectionId, JSON.stringify({ userId, meta } satisfies StoredEntry), userId, room, this.member(room, userId, meta.connectionId));
      }
      for (const position of await this.positions(ADD_ENTRIES_SCRIPT, keys, args)) first.push(batch[position - 1]!);
    }
    return first;
  }

  /** Removes the instance's entries; returns the leaves of users whose last connection in a room it was. */
  async remove(instanceId: string, members: PresenceMember[]): Promise<ReapedLeave[]> {
    const leaves: ReapedLeave[] = [];
    for (const batch of batches(members)) {
      const keys = [this.key('instance', instanceId)];
      const args: string[] = [];
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

  /** Replaces a connection's stored entry; `false` when Redis does not hold it. */
  async update(room: string, entry: StoredEntry): Promise<boolean> {
    const updated = await evalScript(this.client, UPDATE_SCRIPT, [this.key('room', room)], [entry.meta.connectionId, JSON.stringify(entry)]);
    return Number(updated) === 1;
  }

  /** Every entry the instance recorded (as raw member strings). */
  async membersOf(instanceId: string): Promise<string[]> {
    return (await command(this.client, ['SMEMBERS', this.key('instance', instanceId)])) as string[];
  }

  /** Removes every entry the instance recorded; returns the leaves. */
  async removeInstance(instanceId: string): Promise<ReapedLeave[]> {
    const members = await this.membersOf(instanceId);
    return this.remove(instanceId, members.map((raw) => JSON.parse(raw) as PresenceMember));
  }

  private async positions(script: string, keys: string[], args: string[]): Promise<number[]> {
    return ((await evalScript(this.client, script, keys, args)) as unknown[]).map(Number);
  }

  private entryKeys(room: string, userId: string): string[] {
    return [this.key('room', room), this.key('room-users', room), this.key('user-rooms', userId)];
  }
}

/** The items in slices of at most `PRESENCE_SCRIPT_BATCH`. */
function batches<T>(items: T[]): T[][] {
  const slices: T[][] = [];
  for (let i = 0; i < items.length; i += PRESENCE_SCRIPT_BATCH) slices.push(items.slice(i, i + PRESENCE_SCRIPT_BATCH));
  return slices;
}
