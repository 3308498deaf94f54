
/** What `join()`/`update()` attach to one connection; any JSON-serializable fields. */
export type PresenceMetaInput = Record<string, unknown>;

/** One connection of a user in a room. */
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

/** How many users, and how many connections, are in a room. */
export interface PresenceCount {
  users: number;
  connections: number;
}

/**
 * Which namespace's presence `list()`, `count()` and `roomsOf()` read, e.g. `{ namespace: '/chat' }`.
 * A presence room belongs to the namespace it was joined in.
 */
export interface PresenceScope {
  /**
   * A Socket.IO namespace; `'chat'` and `'/chat'` name the same one.
   * @default '/'
   */
  namespace?: string;
}

/**
 * How a room's presence reaches its members: `full` (lists: pages and diffs with the users), or
 * `counts` (a big room: the count, and lists only for members that subscribed).
 */
export type PresenceMode = 'full' | 'counts';

/** A room's mode as a gateway fixes it: `auto` follows `presence.bigRoomUsers`. */
export type PresenceModeOverride = 'auto' | PresenceMode;

/**
 * One page of a room's presence: what the `joinRoom` ack, `presence:state` and `roomPresence`
 * carry, and what `PresenceService.join()` and `page()` resolve with.
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

/** Options of `PresenceService.join()`. */
export interface PresenceJoinOptions {
  /**
   * The room's mode; must be the same for every join of the room, on every instance (a pure
   * function of the room name, like `RoomsGateway.presenceMode()`).
   * @default 'auto'
   */
  mode?: PresenceModeOverride;
  /**
   * Subscribes the connection to the room's presence events even in `counts` mode: it gets the
   * diffs with their lists.
   * @default false
   */
  events?: boolean;
}

/** Options of `PresenceService.page()`: the namespace (see `PresenceScope`) and where the page starts. */
export interface PresencePageOptions extends PresenceScope {
  /** A page's `next`; the first page when absent (or `''`). */
  cursor?: string;
}
