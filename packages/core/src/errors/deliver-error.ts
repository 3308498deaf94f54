import { emitToClient, type EventEmittingClient, type NativeWsClient } from '../ws/native-client.js';
import type { RealtimeErrorPayload } from './realtime-error-payload.js';

/** The event that carries an error when the client sent no ack callback. */
export const EXCEPTION_EVENT = 'exception';

/**
 * Sends the payload to the client's ack when it sent one, otherwise as event `exception`
 * (a native WebSocket client gets the frame `{ event: 'exception', data: payload }`).
 */
export function deliverError(socket: EventEmittingClient | NativeWsClient, payload: RealtimeErrorPayload, ack?: unknown): void {
  if (typeof ack === 'function') {
    ack(payload);
    return;
  }
  emitToClient(socket, EXCEPTION_EVENT, payload);
}
