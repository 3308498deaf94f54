import { RealtimeException } from '../errors/realtime.exception.js';
import { type AuthFailureReason } from '../protocol/index.js';

/**
 * A refused token: `UNAUTHENTICATED` with `details.reason`. Its message is safe to show the
 * client; internals stay in the server log.
 */
export class AuthFailure extends RealtimeException {
  constructor(
    readonly reason: AuthFailureReason,
    message: string,
  ) {
    super('UNAUTHENTICATED', message, { reason });
    this.name = 'AuthFailure';
  }
}

/** The error a Socket.IO middleware passes to `next()`: the client gets it as `connect_error`. */
export function connectError(failure: AuthFailure): Error & { data: { code: 'UNAUTHENTICATED'; reason: AuthFailureReason } } {
  return Object.assign(new Error(failure.message), { data: { code: 'UNAUTHENTICATED' as const, reason: failure.reason } });
}
