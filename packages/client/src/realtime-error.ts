import type { RealtimeErrorCode, RealtimeErrorPayload } from './protocol.js';

// Marks errors of every copy of the package: a bundle may hold its ESM and CommonJS builds both.
const REALTIME_ERROR = Symbol.for('@nestjs-realtime/client:RealtimeError');

/**
 * Every failure the client reports: a refused request (the server's error contract), a request
 * that timed out or lost its connection, or a refused connection (`code` and `reason` from the
 * handshake refusal, e.g. `UNAUTHENTICATED` / `invalid_token`).
 */
export class RealtimeError extends Error {
  /** `error instanceof RealtimeError` holds whichever copy of the package made the error. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [REALTIME_ERROR]?: unknown })[REALTIME_ERROR] === true;
  }

  override readonly name = 'RealtimeError';
  /** @internal */
  readonly [REALTIME_ERROR] = true;

  constructor(
    /** The contract's code (`FORBIDDEN`, `RATE_LIMITED`, …), `TIMEOUT` or `DISCONNECTED`. */
    readonly code: RealtimeErrorCode,
    message: string,
    /** The server's `details`, as sent. */
    readonly details?: unknown,
    /** The event the error answers (`connection` for a refused connection). */
    readonly event?: string,
    /** The server's id for this error; its logs carry the same one. */
    readonly requestId?: string,
    private readonly refusalReason?: string,
  ) {
    super(message);
  }

  /**
   * Why it was refused, when the server said: a refused connection's reason (`missing_token`,
   * `expired_token`, `too_many_connections`, …) or `details.reason` (`too_many_rooms`, …).
   */
  get reason(): string | undefined {
    const reason = this.refusalReason ?? (this.details as { reason?: unknown } | undefined)?.reason;
    return typeof reason === 'string' ? reason : undefined;
  }

  /** For `RATE_LIMITED`: how long to wait before the same message would be accepted. */
  get retryAfterMs(): number | undefined {
    const wait = (this.details as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
    return typeof wait === 'number' ? wait : undefined;
  }
}

/** Whether a value is the server's error contract payload. */
export function isErrorPayload(value: unknown): value is RealtimeErrorPayload {
  return (value as Partial<RealtimeErrorPayload> | null)?.status === 'error' && typeof (value as RealtimeErrorPayload).code === 'string';
}

/** The error for a contract payload. */
export function fromPayload(payload: RealtimeErrorPayload): RealtimeError {
  return new RealtimeError(payload.code, payload.message, payload.details, payload.event, payload.requestId);
}

/**
 * The error for a refused connection: Socket.IO's `connect_error` with the server's
 * `data: { code, reason }`, or a transport failure (`DISCONNECTED`).
 */
export function fromConnectError(error: Error & { data?: { code?: unknown; reason?: unknown } }): RealtimeError {
  return refusalError(error.message, error.data);
}

/**
 * The error for a connection the server refused, from what it said: `{ code, reason }` (a
 * Socket.IO `connect_error`'s data, the JSON body of a refused WebSocket upgrade). Without a
 * `code` it was no refusal but a transport failure: `DISCONNECTED`.
 */
export function refusalError(message: string, data: unknown): RealtimeError {
  const { code, reason } = (data ?? {}) as { code?: unknown; reason?: unknown };
  if (typeof code !== 'string') return new RealtimeError('DISCONNECTED', message, undefined, 'connection');
  return new RealtimeError(code, message, data, 'connection', undefined, typeof reason === 'string' ? reason : undefined);
}

/** A request that got no answer in time. */
export function timeoutError(event: string, timeoutMs: number): RealtimeError {
  return new RealtimeError('TIMEOUT', `No answer to "${event}" within ${timeoutMs} ms`, undefined, event);
}

/** A message that could not be sent: the client is not connected, nor coming back by itself. */
export function notConnectedError(event: string): RealtimeError {
  return new RealtimeError('DISCONNECTED', `Not connected: "${event}" was not sent`, undefined, event);
}

/** A request whose connection ended before its answer came. */
export function connectionLostError(event: string): RealtimeError {
  return new RealtimeError('DISCONNECTED', `The connection ended before the answer to "${event}"`, undefined, event);
}

/** The server ended the connection on purpose (`disconnectUser()`, flooding, too many connections): `reason` says why. */
export function serverDisconnectError(reason?: string | null): RealtimeError {
  const message = reason ? `Disconnected by the server (${reason})` : 'Disconnected by the server';
  return new RealtimeError('DISCONNECTED', message, undefined, 'connection', undefined, reason || undefined);
}
