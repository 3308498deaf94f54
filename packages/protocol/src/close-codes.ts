/** Close codes a native WebSocket client receives (contract); Socket.IO clients get a disconnect instead. */

/** The connection was refused after it opened (`handleConnection` failed). */
export const WS_CLOSE_REFUSED = 4000;
/** The token expired without a refresh. */
export const WS_CLOSE_AUTH_EXPIRED = 4001;
/** `RealtimeService.disconnectUser()`. */
export const WS_CLOSE_DISCONNECTED = 4002;
/** The connection kept sending over its rate limit. */
export const WS_CLOSE_RATE_LIMITED = 4003;
/** A newer connection of the user is over `limits.maxConnectionsPerUser`: the oldest is closed. */
export const WS_CLOSE_TOO_MANY_CONNECTIONS = 4004;
/** The instance shuts down (RFC 6455 "going away"). */
export const WS_CLOSE_GOING_AWAY = 1001;

/**
 * The WebSocket subprotocol that carries a token, for clients that cannot set headers (browsers):
 * `new WebSocket(url, ['bearer', token])`. The server answers with `bearer` alone, never the token.
 */
export const WS_TOKEN_PROTOCOL = 'bearer';
