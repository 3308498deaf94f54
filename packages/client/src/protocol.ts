/**
 * The wire protocol of `@nestjs-realtime/core`, as this client speaks it. Every name here is part
 * of the server's contract.
 */

/** Server → client: the token expires soon; answer with `auth:refresh`. */
export const AUTH_EXPIRING = 'auth:expiring';
/** Client → server: `{ token }`, acknowledged with `{ status: 'ok', expiresAt }` or an error. */
export const AUTH_REFRESH = 'auth:refresh';
/** Server → client: the token expired without a refresh; the server disconnects next. */
export const AUTH_EXPIRED = 'auth:expired';
/** Server → client: an error for a message sent without an ack. */
export const EXCEPTION = 'exception';
/** Server → client: the instance is shutting down; reconnect after `reconnectDelayMs`. */
export const SERVER_DRAINING = 'server:draining';
/** Server → client: sent just before the server disconnects this connection on purpose. */
export const REALTIME_DISCONNECTED = 'realtime:disconnected';
/** Client → server: a heartbeat, answered by a frame of the same name, `{ status: 'ok' }` (native WebSocket). */
export const REALTIME_PING = 'realtime:ping';

export const PRESENCE_STATE = 'presence:state';
export const PRESENCE_JOIN = 'presence:join';
export const PRESENCE_LEAVE = 'presence:leave';
export const PRESENCE_UPDATE = 'presence:update';
/** Server → client: a room's presence changes of one window (`presence.diffWindowMs`), netted per user. */
export const PRESENCE_DIFF = 'presence:diff';

/** `RoomsGateway`'s messages. */
export const JOIN_ROOM = 'joinRoom';
export const LEAVE_ROOM = 'leaveRoom';
export const ROOM_MESSAGE = 'msgToRoom';
export const ROOM_PRESENCE = 'roomPresence';

/** The codes of the server's error contract. */
export type ServerErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL';

/**
 * Codes this client adds for what happens on its side: `TIMEOUT` (no answer in time) and
 * `DISCONNECTED` (the connection ended before the answer, or was never made).
 */
export type ClientErrorCode = 'TIMEOUT' | 'DISCONNECTED';

/** Every code a `RealtimeError` may carry; an application's own codes pass through as strings. */
export type RealtimeErrorCode = ServerErrorCode | ClientErrorCode | (string & {});

/** The error contract's payload, as the server sends it to an ack or as `exception`. */
export interface RealtimeErrorPayload {
  status: 'error';
  code: RealtimeErrorCode;
  message: string;
  details?: unknown;
  event: string;
  requestId: string;
}

/** One connection of a user in a room, with the metadata it joined with. */
export interface PresenceMeta {
  connectionId: string;
  joinedAt: number;
  [key: string]: unknown;
}

/** A user in a room: one entry per user, one meta per connection (tab, device). */
export interface PresenceUser {
  userId: string;
  metas: PresenceMeta[];
}

/** How many users (one per user, whatever their tabs) and connections a room has. */
export interface PresenceCount {
  users: number;
  connections: number;
}

/**
 * How the server shares a room's presence: `full` (every member gets the users and their changes)
 * or `counts` (a big room: members get the count, and the users only if they asked for `presenceEvents`).
 */
export type PresenceMode = 'full' | 'counts';

/**
 * One page of a room's users: the answer of `joinRoom` and `roomPresence`, and `presence:state`.
 * A server older than pages sends `room` and `users` only, `users` being the whole room.
 */
export interface PresencePage {
  room: string;
  /** At most the server's `presence.pageSize` users; `[]` in `counts` mode for `joinRoom` and `presence:state`. */
  users: PresenceUser[];
  count: PresenceCount;
  mode: PresenceMode;
  /** The cursor of the next page (`roomPresence { room, cursor }`), `null` after the last one. */
  next: string | null;
}

/**
 * `presence:diff`: a room's presence changes of one window, one entry per user: who arrived,
 * who left (with `metas: []`), whose connections or metadata changed. The lists are empty for a
 * member of a `counts` room that did not ask for `presenceEvents`: it gets the count only.
 */
export interface PresenceDiffEvent {
  room: string;
  joined: PresenceUser[];
  left: PresenceUser[];
  updated: PresenceUser[];
  count: PresenceCount;
  mode: PresenceMode;
}

/** The events the server sends on its own, whatever the gateway: typed for every client. */
export interface ProtocolEvents {
  [AUTH_EXPIRING]: { expiresAt: number };
  [AUTH_EXPIRED]: { expiresAt: number };
  [EXCEPTION]: RealtimeErrorPayload;
  [SERVER_DRAINING]: { reconnectDelayMs?: number };
  [REALTIME_DISCONNECTED]: { reason: string | null };
  [PRESENCE_STATE]: PresencePage;
  [PRESENCE_DIFF]: PresenceDiffEvent;
  [PRESENCE_JOIN]: { room: string; user: PresenceUser };
  [PRESENCE_LEAVE]: { room: string; user: PresenceUser };
  [PRESENCE_UPDATE]: { room: string; user: PresenceUser };
}

/**
 * The events a native WebSocket gateway sends on its own (it has no rooms, so no presence):
 * typed for every `RealtimeWsClient`.
 */
export type NativeProtocolEvents = Pick<
  ProtocolEvents,
  typeof AUTH_EXPIRING | typeof AUTH_EXPIRED | typeof EXCEPTION | typeof SERVER_DRAINING | typeof REALTIME_DISCONNECTED
>;

/** Native WebSocket: the subprotocol that carries the token, offered as `['bearer', token]`. */
export const WS_TOKEN_PROTOCOL = 'bearer';

/** Native WebSocket close code: the gateway's `handleConnection` failed (an `exception` with `event: 'connection'` came first). */
export const WS_CLOSE_REFUSED = 4000;
/** Native WebSocket close code: the token expired without a refresh (after `auth:expired`). */
export const WS_CLOSE_AUTH_EXPIRED = 4001;
/** Native WebSocket close code: `RealtimeService.disconnectUser()`; the close reason is the app's reason. */
export const WS_CLOSE_DISCONNECTED = 4002;
/** Native WebSocket close code: too many messages over the rate limit. */
export const WS_CLOSE_RATE_LIMITED = 4003;
/** Native WebSocket close code: a newer connection of the same user went over `limits.maxConnectionsPerUser`. */
export const WS_CLOSE_TOO_MANY_CONNECTIONS = 4004;
/** Native WebSocket close code: the server is shutting down (RFC 6455 "going away"). */
export const WS_CLOSE_GOING_AWAY = 1001;
