import { RealtimeException } from '../errors/realtime.exception.js';
import { logSafe } from '../logging/log-safe.js';

/** What a client gets for an event no handler serves, on either transport: it learns it misspelled one. */
export function unknownEventError(event: string): RealtimeException {
  return new RealtimeException('NOT_FOUND', `No handler for event "${logSafe(event)}"`);
}
