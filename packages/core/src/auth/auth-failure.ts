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
