import type { RealtimeConnection } from '../connection/realtime-connection.js';
import { setAuthenticated } from '../connection/identity.js';
import { deliverError } from '../errors/deliver-error.js';
import { RealtimeException } from '../errors/realtime.exception.js';
import { reportError } from '../errors/report-error.js';
import { AUTH_EXPIRED_EVENT, AUTH_EXPIRING_EVENT, AUTH_REFRESH_EVENT, SUBJECT_MISMATCH, WS_CLOSE_AUTH_EXPIRED } from '../protocol/index.js';
import type { ResolvedAuthOptions } from '../options/auth-options.interface.js';
import { AuthFailure } from './auth-failure.js';
import type { TokenVerifier } from './token-verifier.js';

// Longer delays overflow setTimeout; such connections are re-scheduled when this much has passed.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Keeps a live connection honest about its token: `auth:expiring` before `exp`, `auth:refresh`
 * to extend it with a new token of the same user, and `auth:expired` plus a disconnect once the
 * grace period after `exp` has passed without one. The timer lives on the connection, whose
 * teardown stops it; `auth:refresh` reaches `refresh()` through the message pipeline.
 */
export class TokenLifetime {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly options: Pick<ResolvedAuthOptions, 'expiringNoticeMs' | 'refreshGraceMs'>,
  ) {}

  /** Arms the timers of a connection that just authenticated (or refreshed). */
  schedule(connection: RealtimeConnection): void {
    clearTimeout(connection.tokenTimer);
    connection.tokenTimer = undefined;
    const expiresAt = connection.authState?.expiresAt;
    if (!expiresAt || connection.isClosed) return;
    const disconnectAt = expiresAt + this.options.refreshGraceMs;
    // One timer per connection at a time (they add up over thousands of idle connections): the
    // notice, which then arms the disconnect. Shared callbacks with arguments, not closures per
    // connection.
    connection.tokenTimer =
      disconnectAt - Date.now() > MAX_TIMER_MS
        ? unrefTimer(MAX_TIMER_MS, rescheduleLater, this, connection)
        : unrefTimer(expiresAt - this.options.expiringNoticeMs - Date.now(), announceExpiring, expiresAt, disconnectAt, connection);
  }

  /** `auth:refresh { token }`: verified like a handshake token, and it must name the same user. */
  async refresh(connection: RealtimeConnection, payload: unknown, ack: unknown): Promise<void> {
    try {
      const current = connection.authState;
      const currentUser = connection.user;
      if (!current || !currentUser) throw new AuthFailure('missing_token', 'This connection is not authenticated; reconnect with a token');
      const token = (payload as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || token === '') throw new AuthFailure('missing_token', 'auth:refresh needs { token }');

      const next = await this.verifier.authenticate(token, connection.handshakeInfo());
      if (next.subject !== current.subject || String(next.user.id) !== String(currentUser.id)) {
        throw new RealtimeException('FORBIDDEN', 'The new token belongs to another user', { reason: SUBJECT_MISMATCH });
      }
      setAuthenticated(connection.client, next);
      this.schedule(connection);
      if (typeof ack === 'function') ack({ status: 'ok', expiresAt: next.expiresAt });
    } catch (error) {
      deliverError(connection, reportError(error, AUTH_REFRESH_EVENT, connection.id), ack);
    }
  }
}

function rescheduleLater(lifetime: TokenLifetime, connection: RealtimeConnection): void {
  lifetime.schedule(connection);
}

function announceExpiring(expiresAt: number, disconnectAt: number, connection: RealtimeConnection): void {
  connection.emit(AUTH_EXPIRING_EVENT, { expiresAt });
  connection.tokenTimer = unrefTimer(disconnectAt - Date.now(), disconnectExpired, expiresAt, connection);
}

function disconnectExpired(expiresAt: number, connection: RealtimeConnection): void {
  connection.emit(AUTH_EXPIRED_EVENT, { expiresAt });
  connection.disconnect(WS_CLOSE_AUTH_EXPIRED, AUTH_EXPIRED_EVENT);
}

function unrefTimer<A extends unknown[]>(delayMs: number, callback: (...args: A) => void, ...args: A): NodeJS.Timeout {
  return setTimeout(callback, Math.max(0, delayMs), ...args).unref();
}
