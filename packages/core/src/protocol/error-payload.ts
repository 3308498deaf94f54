import { randomUUID } from 'node:crypto';
import type { RealtimeErrorCode, RealtimeErrorPayload } from '@nestjs-realtime/protocol';

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
