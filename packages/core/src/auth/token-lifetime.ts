import type { Socket } from 'socket.io';
import { deliverError } from '../errors/deliver-error.js';
import { RealtimeException } from '../errors/realtime.exception.js';
import { reportError } from '../errors/report-error.js';
import type { ResolvedAuthOptions } from './auth-options.interface.js';
import { AuthFailure } from './auth-failure.js';
import { authStateOf, setAuthenticated, userOf } from './socket-auth-state.js';
import { handshakeInfo, type TokenVerifier } from './token-verifier.js';
import { AUTH_EXPIRED_EVENT, AUTH_EXPIRING_EVENT, AUTH_REFRESH_EVENT, SUBJECT_MISMATCH } from '../protocol/index.js';

// Longer delays overflow setTimeout; such sockets are re-scheduled when this much has passed.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * What the lifetime flow needs of a connection: a Socket.IO socket, or the adapter a native
 * WebSocket client is given (`WsConnection`).
 */
export type LiveSocket = Pick<Socket, 'id' | 'data'> & {
  readonly handshake: Pick<Socket['handshake'], 'headers' | 'address' | 'query'>;
  readonly nsp: { readonly name: string };
  emit(event: string, ...args: unknown[]): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: 'disconnect', listener: () => void): unknown;
  disconnect(close: true): unknown;
};

/** Admits a message the connection sent (rate limit, payload limits) before `handle` runs; see `MessageGate`. */
export type AdmitMessage = (socket: LiveSocket, event: string, data: unknown, ack: unknown, handle: () => void) => void;

/**
 * Keeps a live connection honest about its token: `auth:expiring` before `exp`, `auth:refresh`
 * to extend it with a new token of the same user, and `auth:expired` plus a disconnect once the
 * grace period after `exp` has passed without one.
 */
export class TokenLifetime {
  private readonly timers = new WeakMap<LiveSocket, NodeJS.Timeout>();

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly options: Pick<ResolvedAuthOptions, 'expiringNoticeMs' | 'refreshGraceMs'>,
    /** A refresh costs a signature check: it passes the same limits as every other message. */
    private readonly admit: AdmitMessage,
  ) {}

  /** Starts watching a connected socket until it disconnects. */
  track(socket: LiveSocket): void {
    // Like any message: the ack is the trailing function, however many arguments came before it.
    socket.on(AUTH_REFRESH_EVENT, (...args: unknown[]) => {
      const ack = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
      this.admit(socket, AUTH_REFRESH_EVENT, args[0], ack, () => void this.refresh(socket, args[0], ack));
    });
    socket.once('disconnect', () => this.clear(socket));
    this.schedule(socket);
  }

  private schedule(socket: LiveSocket): void {
    this.clear(socket);
    const expiresAt = authStateOf(socket)?.expiresAt;
    if (!expiresAt) return;
    const disconnectAt = expiresAt + this.options.refreshGraceMs;
    if (disconnectAt - Date.now() > MAX_TIMER_MS) {
      this.timers.set(socket, unrefTimer(MAX_TIMER_MS, () => this.schedule(socket)));
      return;
    }
    // One timer per socket at a time (they add up over thousands of idle connections): the
    // notice, which then arms the disconnect.
    this.timers.set(
      socket,
      unrefTimer(expiresAt - this.options.expiringNoticeMs - Date.now(), () => {
        socket.emit(AUTH_EXPIRING_EVENT, { expiresAt });
        this.timers.set(
          socket,
          unrefTimer(disconnectAt - Date.now(), () => {
            socket.emit(AUTH_EXPIRED_EVENT, { expiresAt });
            socket.disconnect(true);
          }),
        );
      }),
    );
  }

  private clear(socket: LiveSocket): void {
    clearTimeout(this.timers.get(socket));
    this.timers.delete(socket);
  }

  private async refresh(socket: LiveSocket, payload: unknown, ack: unknown): Promise<void> {
    try {
      const current = authStateOf(socket);
      const currentUser = userOf(socket);
      if (!current || !currentUser) throw new AuthFailure('missing_token', 'This connection is not authenticated; reconnect with a token');
      const token = (payload as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || token === '') throw new AuthFailure('missing_token', 'auth:refresh needs { token }');

      const next = await this.verifier.authenticate(token, handshakeInfo(socket));
      if (next.subject !== current.subject || String(next.user.id) !== String(currentUser.id)) {
        throw new RealtimeException('FORBIDDEN', 'The new token belongs to another user', { reason: SUBJECT_MISMATCH });
      }
      setAuthenticated(socket, next);
      this.schedule(socket);
      if (typeof ack === 'function') ack({ status: 'ok', expiresAt: next.expiresAt });
    } catch (error) {
      deliverError(socket, reportError(error, AUTH_REFRESH_EVENT, socket.id), ack);
    }
  }
}

function unrefTimer(delayMs: number, callback: () => void): NodeJS.Timeout {
  return setTimeout(callback, Math.max(0, delayMs)).unref();
}
