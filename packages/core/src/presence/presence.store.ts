import { presenceCursor, readPresenceCursor } from './presence-cursor.js';
import type { PresenceCount, PresenceMeta, PresenceMetaInput, PresenceUser } from './presence.interfaces.js';

/** A connection in a room, as a store records it. */
export interface PresenceEntry {
  /**
   * The room's key: its namespace and name in one string (`'/chat#general'`), so the same room
   * name in two namespaces is two rooms. Opaque to a store: keep it and compare it as it is.
   */
  room: string;
  userId: string;
  meta: PresenceMeta;
}

/** One page of a room's users, and where the next one starts. */
export interface PresenceStorePage {
  /** Users in the order of their first join, oldest first. */
  users: PresenceUser[];
  /** The cursor of the next page; `null` when this page was the last. */
  next: string | null;
}

export { InvalidPresenceCursorError } from './presence-cursor.js';

/**
 * A room's count as a store reads it, with the room's state kept beside it: `big` is `true` while
 * the room is big (see `isBigRoom`: set when a join takes it above `presence.bigRoomUsers`, cleared
 * when a leave takes it to `presence.bigRoomExitUsers` or fewer, or empties it). Absent or `false`
 * otherwise, and from a store that keeps no state: the count alone then decides the mode.
 */
export interface PresenceStoreCount extends PresenceCount {
  big?: boolean;
}

/** A user whose last connection left a room because its instance died (or closed). */
export interface ReapedLeave {
  /** The room's key, as the store was given it in `PresenceEntry.room`. */
  room: string;
  userId: string;
}

/**
 * Storage behind `PresenceService`. Every operation is atomic for the room it touches, so
 * concurrent joins and leaves (from any instance) never lose or invent an entry. Rooms are given
 * by key (see `PresenceEntry.room`), which `PresenceService` builds from a namespace and a room
 * name; `roomsOf()` answers with keys too.
 */
export abstract class PresenceStore {
  /** Adds the connection; `true` when it is the user's first connection in the room. */
  abstract join(entry: PresenceEntry): Promise<boolean>;
  /** Removes the connection; `true` when it was the user's last one in the room. */
  abstract leave(room: string, userId: string, connectionId: string): Promise<boolean>;
  /** Replaces the connection's metadata; `false` when it is not in the room. */
  abstract update(room: string, userId: string, connectionId: string, meta: PresenceMetaInput): Promise<boolean>;
  abstract list(room: string): Promise<PresenceUser[]>;
  /** The room's users and connections, and whether it is big, read at one instant. */
  abstract count(room: string): Promise<PresenceStoreCount>;
  /**
   * Up to `limit` users after `cursor` (from the first user when `undefined`), oldest first. A user
   * present for the whole paging is returned once; one who left and joined again meanwhile may come
   * twice. This default lists the room and pages by position: a store that can page without
   * reading the whole room overrides it.
   * @throws InvalidPresenceCursorError for a cursor this store did not hand out
   */
  async page(room: string, cursor: string | undefined, limit: number): Promise<PresenceStorePage> {
    const start = readPresenceCursor(cursor);
    const users = await this.list(room);
    const end = start + limit;
    return { users: users.slice(start, end), next: end < users.length ? presenceCursor(end) : null };
  }
  abstract roomsOf(userId: string): Promise<string[]>;
  abstract isOnline(userId: string): Promise<boolean>;
  /** The user's entry in the room (all their connections), or `undefined`. */
  async userIn(room: string, userId: string): Promise<PresenceUser | undefined> {
    return (await this.list(room)).find((user) => user.userId === userId);
  }
  /** Starts whatever keeps the store honest across instances; `onReaped` gets the leaves of dead instances. */
  start(_onReaped: (leaves: ReapedLeave[]) => void): void {}
  /**
   * When this instance last told the shared store it is alive (ms since the epoch); `null` for a
   * store that needs no heartbeat (memory).
   */
  lastHeartbeatAt(): number | null {
    return null;
  }
  /** Removes this instance's connections (a graceful shutdown); returns the leaves to announce. */
  async stop(): Promise<ReapedLeave[]> {
    return [];
  }
}

/** A user with their metas, oldest connection first: how every answer shows them. */
export function presenceUser(userId: string, metas: PresenceMeta[]): PresenceUser {
  return { userId, metas: metas.sort((a, b) => a.joinedAt - b.joinedAt) };
}
