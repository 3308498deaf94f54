import { emitToClient, type EventEmittingClient, type NativeWsClient } from '../connection/client-transport.js';
import { messagesInFlight } from '../observability/messages-in-flight.js';
import { type RealtimeErrorPayload, EXCEPTION_EVENT } from '../protocol/index.js';

/**
 * Sends the payload to the client's ack when it sent one, otherwise as event `exception`
 * (a native WebSocket client gets the frame `{ event: 'exception', data: payload }`).
 */
export function deliverError(socket: EventEmittingClient | NativeWsClient, payload: RealtimeErrorPayload, ack?: unknown): void {
  // The outcome of the message this answers, when observability is on.
  messagesInFlight.find(socket, payload.event, ack)?.failed(payload);
  if (typeof ack === 'function') {
    ack(payload);
    return;
  }
  emitToClient(socket, EXCEPTION_EVENT, payload);
}
