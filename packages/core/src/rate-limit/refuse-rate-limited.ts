import type { RealtimeConnection } from '../connection/realtime-connection.js';
import { deliverError } from '../errors/deliver-error.js';
import { RealtimeException } from '../errors/realtime.exception.js';
import { reportError } from '../errors/report-error.js';
import { messagesInFlight } from '../observability/messages-in-flight.js';
import { DISCONNECTED_EVENT, RATE_LIMITED_REASON, WS_CLOSE_RATE_LIMITED } from '../protocol/index.js';

/**
 * Answers a message over the limit with `RATE_LIMITED` (`details.retryAfterMs`), and disconnects
 * a connection that keeps flooding, after telling it why.
 */
export function refuseRateLimited(connection: RealtimeConnection, event: string, ack: unknown, retryAfterMs: number, disconnect: boolean): void {
  messagesInFlight.find(connection, event, ack)?.rateLimited();
  const error = new RealtimeException('RATE_LIMITED', 'Too many messages: slow down', { retryAfterMs });
  deliverError(connection, reportError(error, event, connection.id), ack);
  if (!disconnect) return;
  connection.emit(DISCONNECTED_EVENT, { reason: RATE_LIMITED_REASON });
  connection.disconnect(WS_CLOSE_RATE_LIMITED, RATE_LIMITED_REASON);
}
