import type { Socket } from 'socket.io';
import type { RealtimeErrorPayload } from './realtime-error-payload.js';

/** The event that carries an error when the client sent no ack callback. */
export const EXCEPTION_EVENT = 'exception';

/** Sends the payload to the client's ack when it sent one, otherwise as event `exception`. */
export function deliverError(socket: Pick<Socket, 'emit'>, payload: RealtimeErrorPayload, ack?: unknown): void {
  if (typeof ack === 'function') {
    ack(payload);
    return;
  }
  socket.emit(EXCEPTION_EVENT, payload);
}
