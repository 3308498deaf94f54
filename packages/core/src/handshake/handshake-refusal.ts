import { RealtimeException } from '../errors/realtime.exception.js';
import type { RealtimeErrorCode } from '../protocol/index.js';

/** What a refused client learns: the same on both transports. */
export interface HandshakeRefusal {
  code: RealtimeErrorCode;
  message: string;
  /** `details.reason` of the refusal (`missing_token`, `too_many_connections`…), when it has one. */
  reason?: string;
}

/**
 * The refusal an error stands for; anything but a `RealtimeException` (a bug, a key server down)
 * is an invalid token to the client, its message kept for the server's log.
 */
export function refusalOf(error: unknown): HandshakeRefusal {
  if (!(error instanceof RealtimeException)) return { code: 'UNAUTHENTICATED', message: 'Invalid token', reason: 'invalid_token' };
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  return { code: error.code, message: error.message, ...(typeof reason === 'string' ? { reason } : {}) };
}

/**
 * What a handshake gets when the admission itself failed (a bug, a custom part that threw): a
 * refusal, at once, rather than a request left hanging until the client's timeout.
 */
export const ADMISSION_FAILED: HandshakeRefusal = { code: 'INTERNAL', message: 'Internal server error' };

const HTTP_STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

/** The HTTP status a native WebSocket upgrade is refused with. */
export function refusalStatus(refusal: HandshakeRefusal): number {
  return HTTP_STATUS[refusal.code] ?? 403;
}

/** The error a Socket.IO middleware passes to `next()`: the client gets it as `connect_error` with `data { code, reason }`. */
export function connectError(refusal: HandshakeRefusal): Error & { data: { code: RealtimeErrorCode; reason?: string } } {
  return Object.assign(new Error(refusal.message), {
    data: { code: refusal.code, ...(refusal.reason === undefined ? {} : { reason: refusal.reason }) },
  });
}
