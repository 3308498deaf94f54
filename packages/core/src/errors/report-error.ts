import { Logger } from '@nestjs/common';
import { toErrorPayload } from './to-error-payload.js';
import { logSafe } from '../logging/log-safe.js';
import { LogThrottle } from '../logging/log-throttle.js';
import { createRequestId, type RealtimeErrorPayload } from '../protocol/index.js';

const logger = new Logger('RealtimeExceptionFilter');
// Refusals are the client's doing and can come by the thousand: once per interval per code.
const refusals = new LogThrottle();

/**
 * Maps an exception to the contract payload and logs it under the payload's `requestId`:
 * `INTERNAL` errors with their message and stack (which the client never sees), others briefly.
 */
export function reportError(exception: unknown, event: string, socketId: string): RealtimeErrorPayload {
  const payload = toErrorPayload(exception, event, createRequestId());
  if (payload.code === 'INTERNAL') {
    logger.error(`[${payload.requestId}] ${logSafe(event)} failed on socket ${socketId}`, (exception as Error)?.stack ?? logSafe(exception, 500));
  } else {
    refusals.run(payload.code, (repeats) =>
      logger.debug(`[${payload.requestId}] ${logSafe(event)} on socket ${socketId} → ${payload.code}: ${logSafe(payload.message, 200)}${repeats}`),
    );
  }
  return payload;
}
