/**
 * The wire protocol of `@nestjs-realtime/core`, as this client speaks it, under the client's
 * names. The values and payload types are the server's own (the shared protocol, bundled into
 * both packages): every name here is part of the server's contract.
 */
import {
  AUTH_EXPIRED_EVENT,
  AUTH_EXPIRING_EVENT,
  DISCONNECTED_EVENT,
  DRAINING_EVENT,
  EXCEPTION_EVENT,
  PRESENCE_DIFF_EVENT,
  PRESENCE_JOIN_EVENT,
  PRESENCE_LEAVE_EVENT,
  PRESENCE_STATE_EVENT,
  PRESENCE_UPDATE_EVENT,
  type PresenceDiff,
  type PresencePage,
  type PresenceUser,
  type REALTIME_ERROR_CODES,
  type RealtimeErrorPayload,
} from '@nestjs-realtime/protocol';

export {
  /** Server → client: the token expires soon; answer with `auth:refresh`. */
  AUTH_EXPIRING_EVENT as AUTH_EXPIRING,
  /** Client → server: `{ token }`, acknowledged with `{ status: 'ok', expiresAt }` or an error. */
  AUTH_REFRESH_EVENT as AUTH_REFRESH,
  /** Server → client: the token expired without a refresh; the server disconnects next. */
  AUTH_EXPIRED_EVENT as AUTH_EXPIRED,
  /** Server → client: an error for a message sent without an ack. */
  EXCEPTION_EVENT as EXCEPTION,
  /** Server → client: the instance is shutting down; reconnect after `reconnectDelayMs`. */
  DRAINING_EVENT as SERVER_DRAINING,
  /** Server → client: sent just before the server disconnects this connection on purpose. */
  DISCONNECTED_EVENT as REALTIME_DISCONNECTED,
  /** Client → server: a heartbeat, answered by a frame of the same name, `{ status: 'ok' }` (native WebSocket). */
  PING_EVENT as REALTIME_PING,
  PRESENCE_STATE_EVENT as PRESENCE_STATE,
  PRESENCE_JOIN_EVENT as PRESENCE_JOIN,
  PRESENCE_LEAVE_EVENT as PRESENCE_LEAVE,
  PRESENCE_UPDATE_EVENT as PRESENCE_UPDATE,
  /** Server → client: a room's presence changes of one window (`presence.diffWindowMs`), netted per user. */
  PRESENCE_DIFF_EVENT as PRESENCE_DIFF,
  /** `RoomsGateway`'s messages. */
  JOIN_ROOM_EVENT as JOIN_ROOM,
  LEAVE_ROOM_EVENT as LEAVE_ROOM,
  ROOM_MESSAGE_EVENT as ROOM_MESSAGE,
  ROOM_PRESENCE_EVENT as ROOM_PRESENCE,
  /** Native WebSocket: the subprotocol that carries the token, offered as `['bearer', token]`. */
  WS_TOKEN_PROTOCOL,
  /** Native WebSocket close code: the gateway's `handleConnection` failed (an `exception` with `event: 'connection'` came first). */
  WS_CLOSE_REFUSED,
  /** Native WebSocket close code: the token expired without a refresh (after `auth:expired`). */
  WS_CLOSE_AUTH_EXPIRED,
  /** Native WebSocket close code: `RealtimeService.disconnectUser()`; the close reason is the app's reason. */
  WS_CLOSE_DISCONNECTED,
  /** Native WebSocket close code: too many messages over the rate limit. */
  WS_CLOSE_RATE_LIMITED,
  /** Native WebSocket close code: a newer connection of the same user went over `limits.maxConnectionsPerUser`. */
  WS_CLOSE_TOO_MANY_CONNECTIONS,
  /** Native WebSocket close code: the server is shutting down (RFC 6455 "going away"). */
  WS_CLOSE_GOING_AWAY,
} from '@nestjs-realtime/protocol';
export type { PresenceCount, PresenceMeta, PresenceMode, PresencePage, PresenceUser, RealtimeErrorPayload } from '@nestjs-realtime/protocol';

/** The codes of the server's error contract. */
export type ServerErrorCode = (typeof REALTIME_ERROR_CODES)[number];

/**
 * Codes this client adds for what happens on its side: `TIMEOUT` (no answer in time) and
 * `DISCONNECTED` (the connection ended before the answer, or was never made).
 */
export type ClientErrorCode = 'TIMEOUT' | 'DISCONNECTED';

/** Every code a `RealtimeError` may carry; an application's own codes pass through as strings. */
// `string & {}` keeps editor completion for the known codes while allowing custom ones.
export type RealtimeErrorCode = ServerErrorCode | ClientErrorCode | (string & {});

/**
 * `presence:diff`: a room's presence changes of one window, one entry per user: who arrived,
 * who left (with `metas: []`), whose connections or metadata changed. The lists are empty for a
 * member of a `counts` room that did not ask for `presenceEvents`: it gets the count only.
 */
export type PresenceDiffEvent = PresenceDiff;

/** The events the server sends on its own, whatever the gateway: typed for every client. */
export interface ProtocolEvents {
  [AUTH_EXPIRING_EVENT]: { expiresAt: number };
  [AUTH_EXPIRED_EVENT]: { expiresAt: number };
  [EXCEPTION_EVENT]: RealtimeErrorPayload;
  [DRAINING_EVENT]: { reconnectDelayMs?: number };
  [DISCONNECTED_EVENT]: { reason: string | null };
  [PRESENCE_STATE_EVENT]: PresencePage;
  [PRESENCE_DIFF_EVENT]: PresenceDiffEvent;
  [PRESENCE_JOIN_EVENT]: { room: string; user: PresenceUser };
  [PRESENCE_LEAVE_EVENT]: { room: string; user: PresenceUser };
  [PRESENCE_UPDATE_EVENT]: { room: string; user: PresenceUser };
}

/**
 * The events a native WebSocket gateway sends on its own (it has no rooms, so no presence):
 * typed for every `RealtimeWsClient`.
 */
export type NativeProtocolEvents = Pick<
  ProtocolEvents,
  typeof AUTH_EXPIRING_EVENT | typeof AUTH_EXPIRED_EVENT | typeof EXCEPTION_EVENT | typeof DRAINING_EVENT | typeof DISCONNECTED_EVENT
>;
