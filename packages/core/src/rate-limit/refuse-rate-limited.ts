import { deliverError } from '../errors/deliver-error.js';
import { RealtimeException } from '../errors/realtime.exception.js';
import { reportError } from '../errors/report-error.js';
import { disconnectClient, emitToClient, type EventEmittingClient, type NativeWsClient } from '../connection/client-transport.js';
import { DISCONNECTED_EVENT, WS_CLOSE_RATE_LIMITED, RATE_LIMITED_REASON } from '../protocol/index.js';

/** A Socket.IO socket or a native WebSocket client, whichever sent the message. */
export type RateLimitedClient = (EventEmittingClient & { id: string; data: Record<string, unknown>; disconnect(close: true): unknown }) | NativeWsClient;

/**
 * Answers a message over the limit with `RATE_LIMITED` (`details.retryAfterMs`), and disconnects
 * a connection that keeps flooding, after telling it why.
 */
export function refuseRateLimited(client: RateLimitedClient, event: string, ack: unknown, retryAfterMs: number, disconnect: boolean): void {
  const error = new RealtimeException('RATE_LIMITED', 'Too many messages: slow down', { retryAfterMs });
  deliverError(client, reportError(error, event, client.id), ack);
  if (!disconnect) return;
  emitToClient(client, DISCONNECTED_EVENT, { reason: RATE_LIMITED_REASON });
  disconnectClient(client, WS_CLOSE_RATE_LIMITED, RATE_LIMITED_REASON);
}
