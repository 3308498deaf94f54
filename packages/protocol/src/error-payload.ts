import type { RealtimeErrorCode } from './error-codes.js';

/** What a client receives for every failure: through its ack when it sent one, else as event `exception`. */
export interface RealtimeErrorPayload {
  status: 'error';
  code: RealtimeErrorCode;
  /** Human-readable; never an internal error's message. */
  message: string;
  details?: unknown;
  /** The event the client sent (or `'connection'`). */
  event: string;
  /** Also in the server's log line for this error. */
  requestId: string;
}
