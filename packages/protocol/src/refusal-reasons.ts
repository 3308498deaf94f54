/**
 * The `reason` of a refusal or a disconnect, as the client receives it (contract): in
 * `connect_error.data.reason`, an error payload's `details.reason`, a native upgrade's JSON body,
 * or `realtime:disconnected { reason }`.
 */

/** Why a token was refused: handshake, upgrade or `auth:refresh`. */
export type AuthFailureReason = 'missing_token' | 'invalid_token' | 'expired_token';

/** A user is over `limits.maxConnectionsPerUser`. */
export const TOO_MANY_CONNECTIONS = 'too_many_connections';
/** A second `CONNECT` to a namespace on one Engine.IO connection. */
export const DUPLICATE_NAMESPACE = 'duplicate_namespace';
/** A connection that kept sending over its rate limit is disconnected. */
export const RATE_LIMITED_REASON = 'rate_limited';
/** A connection is in `limits.maxRoomsPerSocket` rooms already. */
export const TOO_MANY_ROOMS = 'too_many_rooms';
/** An `auth:refresh` token, or the token of a `CONNECT` recovering a session, belongs to another user. */
export const SUBJECT_MISMATCH = 'subject_mismatch';
/** A payload nests deeper than `limits.maxPayloadDepth`. */
export const PAYLOAD_TOO_DEEP = 'too_deep';
/** A payload holds more values than `limits.maxPayloadNodes`. */
export const PAYLOAD_TOO_MANY_NODES = 'too_many_nodes';
/** The auth object of a Socket.IO `CONNECT` is over `limits.maxHandshakeAuthBytes`. */
export const HANDSHAKE_AUTH_TOO_LARGE = 'auth_too_large';
