
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
