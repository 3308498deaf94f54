/** Presence as it travels: a room's users, its counts, its pages and its diffs. */

/** One connection of a user in a room, with the metadata it joined with. */
export interface PresenceMeta {
  connectionId: string;
  joinedAt: number;
  [field: string]: unknown;
}

/** A user in a room, with one meta per connection (device, tab). */
export interface PresenceUser {
  userId: string;
  metas: PresenceMeta[];
}

/** How many users (one per user, whatever their tabs), and how many connections, are in a room. */
export interface PresenceCount {
  users: number;
  connections: number;
}

/**
 * How a room's presence reaches its members: `full` (lists: pages and diffs with the users), or
 * `counts` (a big room: the count, and lists only for members that subscribed).
 */
export type PresenceMode = 'full' | 'counts';

/**
 * One page of a room's users: what the `joinRoom` ack, `presence:state` and `roomPresence` carry.
 * A server older than pages sends `room` and `users` only, `users` being the whole room.
 */
export interface PresencePage {
  room: string;
  /** At most `presence.pageSize` users, oldest first; `[]` in `counts` mode for a join. */
  users: PresenceUser[];
  count: PresenceCount;
  mode: PresenceMode;
  /** The cursor of the next page (for `roomPresence { room, cursor }`); `null` when this was the last. */
  next: string | null;
}

/**
 * A room's presence changes over one `presence.diffWindowMs`, netted per user (`presence:diff`).
 * In `counts` mode, members that did not subscribe get it with empty lists.
 */
export interface PresenceDiff {
  room: string;
  /** Users absent before the window and present after it, with their latest metas. */
  joined: PresenceUser[];
  /** Users present before the window and absent after it (`metas: []`). */
  left: PresenceUser[];
  /** Users present before and after the window whose entry changed, with their latest metas. */
  updated: PresenceUser[];
  count: PresenceCount;
  mode: PresenceMode;
}
