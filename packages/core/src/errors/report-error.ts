import { Logger } from '@nestjs/common';
import { createRequestId, type RealtimeErrorPayload } from './realtime-error-payload.js';
import { toErrorPayload } from './to-error-payload.js';

const logger = new Logger('RealtimeExceptionFilter');

/**
 * Maps an exception to the contract payload and logs it under the payload's `requestId`:
 * `INTERNAL` errors with their message and stack (which the client never sees), others briefly.
 */
export function reportError(exception: unknown, event: string, socketId: string): RealtimeErrorPayload {
  const payload = toErrorPayload(exception, event, createRequestId());
  if (payload.code === 'INTERNAL') {
    logger.error(`[${payload.requestId}] ${event} failed on socket ${socketId}`, (exception as Error)?.stack ?? String(exception));
  } else {
    logger.debug(`[${payload.requestId}] ${event} on socket ${socketId} → ${payload.code}: ${payload.message}`);
  }
  return payload;
}
