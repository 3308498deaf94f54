/** The codes the library itself sends; see the error contract in the docs. */
export const REALTIME_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_REQUEST',
  'NOT_FOUND',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL',
  // A refused handshake only: the server is draining (HTTP 503 for a native upgrade).
  'UNAVAILABLE',
] as const;

/** A code of the error contract: one of the library's, or an application's own (upper snake case by convention). */
// `string & {}` keeps editor completion for the known codes while allowing custom ones.
// eslint-disable-next-line @typescript-eslint/ban-types
export type RealtimeErrorCode = (typeof REALTIME_ERROR_CODES)[number] | (string & {});
