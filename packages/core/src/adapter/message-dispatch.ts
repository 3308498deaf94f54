import type { Logger } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { EMPTY, defer, filter, first, fromEvent, map, mergeMap, catchError, share, takeUntil, type Observable } from 'rxjs';
import type { Socket } from 'socket.io';

/** Turns a handler's result into the stream of its responses (Nest's own `transform`). */
export type ResultTransform = (result: unknown) => Observable<unknown>;

/**
 * Wires a socket's message handlers. Placeholder: the same RxJS path as Nest's IoAdapter until
 * the lean path replaces it.
 */
export function bindMessageHandlers(
  socket: Socket,
  handlers: MessageMappingProperties[],
  transform: ResultTransform,
  logger: Logger,
): void {
  const disconnect$ = fromEvent(socket, 'disconnect').pipe(share(), first());
  for (const { message, callback, isAckHandledManually } of handlers) {
    fromEvent(socket, message as string, (...args: unknown[]) => args)
      .pipe(
        mergeMap((args) => {
          const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (value: unknown) => void) : undefined;
          const data = args.length === 1 ? args[0] : args;
          return defer(() => transform(callback(data, ack))).pipe(
            filter((response) => response !== undefined && response !== null),
            map((response) => [response, ack] as const),
            catchError((error: unknown) => {
              logger.error(error);
              return EMPTY;
            }),
          );
        }),
        takeUntil(disconnect$),
      )
      .subscribe(([response, ack]) => {
        const withEvent = response as { event?: string; data?: unknown };
        if (withEvent.event) return void socket.emit(withEvent.event, withEvent.data);
        if (!isAckHandledManually && ack) ack(response);
      });
  }
}
