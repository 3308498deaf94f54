import { expect } from 'vitest';
import type WebSocket from 'ws';
import { WS_CLOSE_REFUSED } from '../../../src/ws/index.js';
import { nextEvent, nextFrame } from './events.js';
import type { ParityApp } from './parity-app.js';

/** What Nest's upstream specs expect for `new WsException('Unauthorized')` thrown by `handleConnection`. */
export const NEST_CONNECTION_EXCEPTION = { status: 'error', message: 'Unauthorized', cause: { pattern: 'handleConnection' } };

/** Our contract (docs/guide/errors.md#where-it-applies): event 'connection'; a string WsException is BAD_REQUEST. */
export const CONTRACT_CONNECTION_EXCEPTION = {
  status: 'error',
  code: 'BAD_REQUEST',
  message: 'Unauthorized',
  event: 'connection',
  requestId: expect.any(String),
};

/** Upstream's socket.io client: the exception it gets on connecting, and (awaited apart) how its connection ends. */
export function socketIoRefusal(parity: ParityApp) {
  const socket = parity.io(parity.url, { autoConnect: false, transports: ['websocket'] });
  const exception = nextEvent(socket, 'exception');
  const reason = nextEvent<string>(socket, 'disconnect');
  reason.catch(() => undefined); // asserted after the exception, when it is
  socket.connect();
  return { exception, reason };
}

/** Upstream's ws client: the first frame it gets (a refused upgrade rejects it), and (awaited apart) its close code. */
export function wsRefusal(client: WebSocket) {
  const frame = Promise.race([
    nextFrame(client),
    new Promise<never>((_, reject) => client.once('error', reject)),
  ]);
  const code = nextEvent<number>(client, 'close');
  code.catch(() => undefined); // asserted after the frame, when it is
  return { frame, code };
}

/** The documented end of a refused connection: Socket.IO `io server disconnect`, native close 4000. */
export const REFUSED = { socketIo: 'io server disconnect', ws: WS_CLOSE_REFUSED } as const;
