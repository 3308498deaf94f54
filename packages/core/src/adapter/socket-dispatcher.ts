import type { Logger } from '@nestjs/common';
import type { MessageMappingProperties, WsResponse } from '@nestjs/websockets';
import { isObservable, type Observable, type Subscription } from 'rxjs';
import type { Socket } from 'socket.io';
import { mapPayload, type AckCallback } from './message-payload.js';
import type { MessageGate } from '../pipeline/message-gate.js';
import { logSafe } from '../logging/log-safe.js';
import { deliverError } from '../errors/deliver-error.js';
import { unknownEventError } from '../pipeline/unknown-event.js';
import { reportError } from '../errors/report-error.js';

/** A handler as Nest wired it: `callback` already runs guards, pipes, interceptors and filters. */
interface Route {
  event: string;
  callback: MessageMappingProperties['callback'];
  manualAck: boolean;
}

/**
 * Runs one socket's message handlers with the semantics of Nest's `IoAdapter`, without its RxJS
 * pipeline (an Observable chain per handler per socket, and several operators per message):
 * - the result (value, promise or Observable items) goes to the client's ack, unless the handler
 *   takes `@Ack()`; a `{ event, data }` result is emitted as `event` instead; `null`/`undefined`
 *   sends nothing;
 * - an Observable result is streamed until it ends or the socket disconnects;
 * - a failure that escapes the handler's exception filters is logged, and the event keeps working.
 */
export class SocketDispatcher {
  /** Handlers by event name; several gateways on one namespace may share this socket. */
  private readonly routes = new Map<unknown, Route[]>();
  /** Live streams of Observable results. */
  private readonly streams = new Set<Subscription>();

  constructor(
    private readonly socket: Socket,
    private readonly logger: Logger,
    /** Rate limit and payload limits, before any handler. */
    private readonly gate: MessageGate,
  ) {
    // Registered before the gateway's handleDisconnect, as Nest's takeUntil(disconnect) is, so
    // streams stop first.
    socket.once('disconnect', () => this.stopStreams());
    socket.onAny((event: unknown, ...args: unknown[]) => this.answerUnknown(event, args));
  }

  /**
   * An event nothing listens to, sent with an ack, is answered `NOT_FOUND` (as native clients'
   * are) instead of leaving the client to time out. Without an ack it is dropped, as Socket.IO
   * does. The answer passes the message gate like any other.
   */
  private answerUnknown(event: unknown, args: unknown[]): void {
    // Runs for every packet: the cheap checks first, nothing allocated for an event that has listeners.
    if (typeof event !== 'string' || typeof args[args.length - 1] !== 'function' || this.socket.listenerCount(event) > 0) return;
    if (!this.socket.connected) return;
    const { ack } = mapPayload(args);
    this.gate.admit(this.socket, this.socket.nsp.name, event, undefined, ack, () =>
      deliverError(this.socket, reportError(unknownEventError(event), event, this.socket.id), ack),
    );
  }

  /** Adds handlers: one listener per event name, whatever the number of handlers for it. */
  add(handlers: readonly MessageMappingProperties[]): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      let routes = this.routes.get(message);
      if (!routes) {
        const list: Route[] = (routes = []);
        this.routes.set(message, list);
        // A listener per event name rather than socket.onAny(): onAny runs before socket.use()
        // middlewares, even for packets they reject, which Nest's listeners never see.
        this.socket.on(message, (...args: unknown[]) => this.dispatch(list, args));
      }
      routes.push({ event: String(message), callback, manualAck: isAckHandledManually === true });
    }
  }

  private dispatch(routes: Route[], args: unknown[]): void {
    // Nest unsubscribes every handler on disconnect: an event emitted locally afterwards reaches none.
    if (!this.socket.connected) return;
    const { data, ack } = mapPayload(args);
    this.gate.admit(this.socket, this.socket.nsp.name, routes[0].event, data, ack, () => this.runAll(routes, data, ack));
  }

  private runAll(routes: Route[], data: unknown, ack: AckCallback | undefined): void {
    for (const route of routes) this.run(route, data, ack);
  }

  private run(route: Route, data: unknown, ack: AckCallback | undefined): void {
    try {
      const result = route.callback(data, ack);
      // Nest's callbacks are async functions: this is the usual path, one `then` and no Observable.
      if (isThenable(result)) {
        Promise.resolve(result).then(
          (value) => this.settle(route, value, ack),
          (error: unknown) => this.fail(route, error),
        );
      } else {
        this.settle(route, result, ack);
      }
    } catch (error) {
      this.fail(route, error);
    }
  }

  /** Never throws: it runs in a promise reaction, where a throw would be an unhandled rejection. */
  private settle(route: Route, result: unknown, ack: AckCallback | undefined): void {
    try {
      if (isObservable(result)) this.stream(route, result, ack);
      else this.respond(route, result, ack);
    } catch (error) {
      this.fail(route, error);
    }
  }

  private respond(route: Route, response: unknown, ack: AckCallback | undefined): void {
    // Nothing reaches a client once it is gone (Nest's takeUntil(disconnect)).
    if (response === undefined || response === null || !this.socket.connected) return;
    const { event, data } = response as Partial<WsResponse>;
    if (event) {
      this.socket.emit(event, data);
    } else if (ack && !route.manualAck) {
      try {
        ack(response);
      } catch (error) {
        // The result could not be encoded (too deep, a cycle…): the client still gets its answer,
        // the contract's INTERNAL (Socket.IO marks an ack as sent only once its packet is built).
        deliverError(this.socket, reportError(error, route.event, this.socket.id), ack);
      }
    }
  }

  private stream(route: Route, source: Observable<unknown>, ack: AckCallback | undefined): void {
    // Nest never subscribes a result that arrives after the disconnect: no producer starts for nobody.
    if (!this.socket.connected) return;
    let subscription: Subscription | undefined;
    let ended = false;
    const end = () => {
      ended = true;
      if (subscription) this.streams.delete(subscription);
    };
    subscription = source.subscribe({
      next: (item) => {
        // A throw here would go to RxJS's unhandled-error hook, which crashes the process.
        try {
          this.respond(route, item, ack);
        } catch (error) {
          this.fail(route, error);
        }
      },
      error: (error: unknown) => {
        end();
        this.fail(route, error);
      },
      complete: end,
    });
    // A source that completed synchronously is already over.
    if (!ended) this.streams.add(subscription);
  }

  private stopStreams(): void {
    for (const subscription of this.streams) {
      try {
        subscription.unsubscribe();
      } catch (error) {
        this.logError("A stream's teardown failed on disconnect", error);
      }
    }
    this.streams.clear();
  }

  /**
   * Only failures the handler's exception filters did not absorb get here (a filter that
   * rethrows): an app bug, so it is logged, and the event keeps serving later messages.
   */
  private fail(route: Route, error: unknown): void {
    this.logError(`Handler of "${logSafe(route.event)}" failed`, error);
  }

  /** Never throws either: it is the last stop of a failure, often inside a promise reaction. */
  private logError(what: string, error: unknown): void {
    try {
      const message = `${what}: ${logSafe(error instanceof Error ? error.message : error, 500)}`;
      // No `undefined` second argument: Nest's ConsoleLogger would print it as a context.
      if (error instanceof Error && error.stack) this.logger.error(message, error.stack);
      else this.logger.error(message);
    } catch {
      // A logger that throws leaves nowhere to report to; crashing the process would be worse.
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
