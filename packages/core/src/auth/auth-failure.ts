/** Why a handshake (or a refresh) was refused; sent to the client as `data.reason`. */
export type AuthFailureReason = 'missing_token' | 'invalid_token' | 'expired_token';

/** A refused token. Its message is safe to show the client; internals stay in the server log. */
export class AuthFailure extends Error {
  constructor(
    readonly reason: AuthFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'AuthFailure';
  }
}

/** The error a Socket.IO middleware passes to `next()`: the client gets it as `connect_error`. */
export function connectError(failure: AuthFailure): Error & { data: { code: 'UNAUTHENTICATED'; reason: AuthFailureReason } } {
  return Object.assign(new Error(failure.message), { data: { code: 'UNAUTHENTICATED' as const, reason: failure.reason } });
}
