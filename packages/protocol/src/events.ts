/**
 * Event names of the wire protocol (contract): what the server sends besides the application's
 * own events, and the events of the library it accepts. Both transports use the same names; a
 * native WebSocket client gets each as a `{ event, data }` frame.
 */

/** Carries an error when the client sent no ack callback (see `RealtimeErrorPayload`). */
export const EXCEPTION_EVENT = 'exception';
/** The `event` of an error from a gateway's `handleConnection`. */
export const CONNECTION_EVENT = 'connection';

/** Sent shortly before the connection's token expires: `{ expiresAt }`. */
export const AUTH_EXPIRING_EVENT = 'auth:expiring';
/** Sent by the client with `{ token }` to extend the connection; acked `{ status: 'ok', expiresAt }`. */
export const AUTH_REFRESH_EVENT = 'auth:refresh';
/** Sent once the token expired without a refresh, before the server disconnects: `{ expiresAt }`. */
export const AUTH_EXPIRED_EVENT = 'auth:expired';

/** Sent by a client as a heartbeat request (native WebSocket: the server answers a frame of this name, `{ status: 'ok' }`). */
export const PING_EVENT = 'realtime:ping';

/** Sent before the server disconnects a client on purpose: `{ reason }`. The client should not reconnect. */
export const DISCONNECTED_EVENT = 'realtime:disconnected';
/** Sent to every client when the instance starts shutting down: `{ reconnectDelayMs }`. */
export const DRAINING_EVENT = 'server:draining';

/** `RoomsGateway`: a message to a room, as its members receive it. */
export const ROOM_MESSAGE_EVENT = 'msgToRoom';

/** `RoomsGateway`: join a room (`{ room, meta? }`), acked with its first presence page. */
export const JOIN_ROOM_EVENT = 'joinRoom';
/** `RoomsGateway`: leave a room (`{ room }`). */
export const LEAVE_ROOM_EVENT = 'leaveRoom';
/** `RoomsGateway`: the next page of a room's users (`{ room, cursor }`). */
export const ROOM_PRESENCE_EVENT = 'roomPresence';
