import { RealtimeException } from '../errors/realtime.exception.js';

/** Why a handshake, a refresh or a message was refused; sent to the client as the reason. */
export type AuthFailureReason = 'missing_token' | 'invalid_token' | 'expired_token';

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
