import type { PresenceMode } from '../protocol/index.js';

// The payload types travel on the wire: they are the protocol's, shared with the client.
export type { PresenceCount, PresenceDiff, PresenceMeta, PresenceMode, PresencePage, PresenceUser } from '../protocol/index.js';

/** What `join()`/`update()` attach to one connection; any JSON-serializable fields. */
export type PresenceMetaInput = Record<string, unknown>;

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

/** A room's mode as a gateway fixes it: `auto` follows `presence.bigRoomUsers` and `bigRoomExitUsers`. */
export type PresenceModeOverride = 'auto' | PresenceMode;

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
