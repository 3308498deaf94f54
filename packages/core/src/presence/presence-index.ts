import { presenceCursor } from './presence-cursor.js';
import { DEFAULT_BIG_ROOM_BAND, isBigRoom, type BigRoomBand } from './presence-mode.js';
import type { PresenceMetaInput, PresenceUser } from './presence.interfaces.js';
import { presenceUser, type PresenceEntry, type PresenceStoreCount, type PresenceStorePage } from './presence.store.js';

/** A user in one room: their connections there, and when they came. */
interface UserInRoom {
  readonly userId: string;
  /** The room's sequence number of the user's first join (since they were last absent): pages are cut on it. */
  readonly sequence: number;
  /** connectionId → entry; its size is the user's connection count in the room */
  readonly connections: Map<string, PresenceEntry>;
}

/** One room's connections, also grouped per user, so no operation but `list` and `page` walks the room. */
interface RoomPresence {
  readonly connections: Map<string, PresenceEntry>;
  // userId → the user there. A Map keeps insertion order, and a user is inserted when they get
  // their sequence number: its order is sequence order, which `page` relies on.
  readonly users: Map<string, UserInRoom>;
  lastSequence: number;
  /** Whether the room is big (`isBigRoom`), updated whenever a user comes or goes. */
  big: boolean;
}

/**
 * Presence entries of one process, indexed both ways: `join`, `leave`, `update`, `count` and
 * `isOnline` cost the same in a room of ten or of a hundred thousand; `roomsOf` and `userIn` cost
 * the user's own rooms and connections; `page` walks the users before the page; only `list` walks
 * a whole room, because it returns all of it. Synchronous, so a store built on it can change it
 * and queue the matching shared write in one step.
 */
export class PresenceIndex {
  /** @param band when a room turns big, and small again: each room's state is kept by it */
  constructor(private readonly band: BigRoomBand = DEFAULT_BIG_ROOM_BAND) {}

  // room key (namespace and room) → its connections and per-user counts
  private readonly rooms = new Map<string, RoomPresence>();
  // userId → the room keys where they have at least one connection
  private readonly roomsOfUser = new Map<string, Set<string>>();

  /** Adds the connection; `true` when it is the user's first connection in the room. */
  join(entry: PresenceEntry): boolean {
    const room = this.rooms.get(entry.room);
    const previous = room?.connections.get(entry.meta.connectionId);
    // The same connection joining again replaces its entry; it is not a new connection of the user.
    if (room && previous?.userId === entry.userId) {
      room.connections.set(entry.meta.connectionId, entry);
      room.users.get(entry.userId)?.connections.set(entry.meta.connectionId, entry);
      return false;
    }
    if (room && previous) this.remove(entry.room, room, previous);
    return this.add(entry);
  }

  /** Adds a connection the room does not have; `true` when it is its user's first there. */
  private add(entry: PresenceEntry): boolean {
    let room = this.rooms.get(entry.room);
    if (!room) {
      room = { connections: new Map(), users: new Map(), lastSequence: 0, big: false };
      this.rooms.set(entry.room, room);
    }
    room.connections.set(entry.meta.connectionId, entry);
    const user = room.users.get(entry.userId);
    if (user) {
      user.connections.set(entry.meta.connectionId, entry);
      return false;
    }
    const connections = new Map([[entry.meta.connectionId, entry]]);
    room.users.set(entry.userId, { userId: entry.userId, sequence: ++room.lastSequence, connections });
    room.big = isBigRoom(room.users.size, room.big, this.band);
    let userRooms = this.roomsOfUser.get(entry.userId);
    if (!userRooms) {
      userRooms = new Set();
      this.roomsOfUser.set(entry.userId, userRooms);
    }
    userRooms.add(entry.room);
    return true;
  }

  /** Removes the connection; `true` when it was the user's last one in the room. */
  leave(roomKey: string, connectionId: string): boolean {
    const room = this.rooms.get(roomKey);
    const entry = room?.connections.get(connectionId);
    if (!room || !entry) return false;
    return this.remove(roomKey, room, entry);
  }

  /** Removes the entry and what indexes it; `true` when it was its user's last connection in the room. */
  private remove(roomKey: string, room: RoomPresence, entry: PresenceEntry): boolean {
    room.connections.delete(entry.meta.connectionId);
    const userConnections = room.users.get(entry.userId)?.connections;
    userConnections?.delete(entry.meta.connectionId);
    if (userConnections && userConnections.size > 0) return false;
    room.users.delete(entry.userId);
    room.big = isBigRoom(room.users.size, room.big, this.band);
    // An empty room goes with its state: it is small when it fills again.
    if (room.connections.size === 0) this.rooms.delete(roomKey);
    const userRooms = this.roomsOfUser.get(entry.userId);
    userRooms?.delete(roomKey);
    if (userRooms?.size === 0) this.roomsOfUser.delete(entry.userId);
    return true;
  }

  /** Replaces the connection's metadata; returns its entry, or `undefined` when it is not in the room. */
  update(roomKey: string, connectionId: string, meta: PresenceMetaInput): PresenceEntry | undefined {
    const entry = this.rooms.get(roomKey)?.connections.get(connectionId);
    if (entry) entry.meta = { ...meta, connectionId, joinedAt: entry.meta.joinedAt };
    return entry;
  }

  /** The user whose connection it is in the room, or `undefined`. */
  holderOf(roomKey: string, connectionId: string): string | undefined {
    return this.rooms.get(roomKey)?.connections.get(connectionId)?.userId;
  }

  /** The room's users, in the order of their first join. */
  list(roomKey: string): PresenceUser[] {
    return [...(this.rooms.get(roomKey)?.users.values() ?? [])].map(userOf);
  }

  /** Up to `limit` users who joined after the sequence number `after`, in that order. */
  page(roomKey: string, after: number, limit: number): PresenceStorePage {
    const users: PresenceUser[] = [];
    let last = after;
    for (const user of this.rooms.get(roomKey)?.users.values() ?? []) {
      if (user.sequence <= after) continue;
      if (users.length === limit) return { users, next: presenceCursor(last) };
      users.push(userOf(user));
      last = user.sequence;
    }
    return { users, next: null };
  }

  /** How many users and connections the room has, and whether it is big. */
  count(roomKey: string): PresenceStoreCount {
    const room = this.rooms.get(roomKey);
    const count = { users: room?.users.size ?? 0, connections: room?.connections.size ?? 0 };
    return room?.big ? { ...count, big: true } : count;
  }

  /** The user's entry in the room (all their connections), or `undefined`. */
  userIn(roomKey: string, userId: string): PresenceUser | undefined {
    const user = this.rooms.get(roomKey)?.users.get(userId);
    return user && userOf(user);
  }

  /** The keys of the rooms the user has a connection in. */
  roomsOf(userId: string): string[] {
    return [...(this.roomsOfUser.get(userId) ?? [])];
  }

  /** Whether the user has a connection in any room. */
  isOnline(userId: string): boolean {
    return this.roomsOfUser.has(userId);
  }

  /** Every entry. */
  entries(): PresenceEntry[] {
    return [...this.rooms.values()].flatMap((room) => [...room.connections.values()]);
  }
}

function userOf({ userId, connections }: UserInRoom): PresenceUser {
  return presenceUser(userId, [...connections.values()].map((entry) => entry.meta));
}
