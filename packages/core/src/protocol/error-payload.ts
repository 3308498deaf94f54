import { randomUUID } from 'node:crypto';
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

/** An id that ties what the client saw to the server's log line. */
export function createRequestId(): string {
  return randomUUID();
}

/** Builds the contract payload, omitting `details` when there are none. */
export function errorPayload(
  code: RealtimeErrorCode,
  message: string,
  event: string,
  details?: unknown,
  requestId: string = createRequestId(),
): RealtimeErrorPayload {
  return { status: 'error', code, message, ...(details === undefined ? {} : { details }), event, requestId };
}
