import type { Logger } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { Socket } from 'socket.io';
import type { MessageGate } from '../pipeline/message-gate.js';
import { SocketDispatcher } from './socket-dispatcher.js';

/** Turns a handler's result into the stream of its responses (Nest's own `transform`). */
export type ResultTransform = (result: unknown) => Observable<unknown>;

// Nest binds each gateway of a namespace separately; one dispatcher per socket serves them all.
const dispatchers = new WeakMap<Socket, SocketDispatcher>();

/**
 * Wires a socket's message handlers with Nest's `IoAdapter` semantics, minus its per-message
 * RxJS overhead (see `SocketDispatcher`).
 *
 * @param _transform Nest's result transform (await the result; an Observable's items, else the
 *   value). Accepted for the adapter's signature; the dispatcher applies the same rule without
 *   wrapping every result in Observables.
 */
export function bindMessageHandlers(
  socket: Socket,
  handlers: MessageMappingProperties[],
  _transform: ResultTransform,
  logger: Logger,
  gate: MessageGate,
): void {
  if (handlers.length === 0) return;
  let dispatcher = dispatchers.get(socket);
  if (!dispatcher) {
    dispatcher = new SocketDispatcher(socket, logger, gate);
    dispatchers.set(socket, dispatcher);
  }
  dispatcher.add(handlers);
}
