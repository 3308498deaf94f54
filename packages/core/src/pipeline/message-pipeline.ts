import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { WsResponse } from '@nestjs/websockets';
import { isObservable, type Observable, type Subscription } from 'rxjs';
import { TokenLifetime } from '../auth/token-lifetime.js';
import type { AckCallback, MessageHandler, RealtimeConnection } from '../connection/realtime-connection.js';
import { deliverError } from '../errors/deliver-error.js';
import { reportError } from '../errors/report-error.js';
import { logSafe } from '../logging/log-safe.js';
import type { MessageObservation } from '../observability/message-observation.js';
import { RealtimeTelemetry } from '../observability/realtime-telemetry.js';
import { AUTH_REFRESH_EVENT, PING_EVENT } from '../protocol/index.js';
import { MessageGate } from './message-gate.js';
import { unknownEventError } from './unknown-event.js';

/**
 * Everything that happens to a message after its transport decoded it, the same for Socket.IO
 * and native WebSocket: the message gate (rate limit, payload limits), then every handler for
 * the event (Nest's callbacks: guards, pipes, interceptors, filters), then the answer — with the
 * semantics of Nest's adapters, without their per-message RxJS pipeline:
 * - the result (value, promise, or each item of an Observable) goes back through the transport's
 *   `reply` (Socket.IO: the ack, or `{ event, data }` emitted; native: a JSON frame); `null` and
 *   `undefined` send nothing;
 * - an Observable result is streamed until it ends or the connection closes;
 * - a failure that escapes the handler's exception filters is logged, and the event keeps working;
 * - an event nothing handles gets `NOT_FOUND`, when the client can hear it;
 * - `auth:refresh` goes to the token lifetime flow, through the same gate;
 * - `realtime:ping` (a client's heartbeat) is answered `{ status: 'ok' }` by the library, through
 *   the same gate, and never reaches a handler;
 * - with observability on, each message is observed (outcome, duration, span) until its handlers settled.
 */
@Injectable()
export class MessagePipeline {
  private readonly logger = new Logger('RealtimeMessages');

  constructor(
    private readonly gate: MessageGate,
    // Null without `auth`.
    @Optional() @Inject(TokenLifetime) private readonly lifetime?: TokenLifetime | null,
    // Null unless observability is on and an OpenTelemetry SDK is registered.
    @Optional() @Inject(RealtimeTelemetry) private readonly telemetry?: RealtimeTelemetry | null,
  ) {}

  /** A message the connection received (a frame too malformed to name an event goes to `refuse`). */
  receive(connection: RealtimeConnection, event: string, data: unknown, ack: AckCallback | undefined): void {
    // Nest unsubscribes every handler on disconnect: an event emitted locally afterwards reaches none.
    if (connection.isClosed) return;
    const route = this.routeOf(connection, event);
    const telemetry = this.telemetry;
    if (!telemetry) return void this.dispatch(connection, route, event, data, ack);
    const observation = telemetry.observeMessage(connection, event, route !== 'unknown', ack);
    telemetry.runInSpan(observation, () => observation.wait(this.dispatch(connection, route, event, data, ack, observation)));
    observation.done();
  }

  /** Who serves `event`: the library (`realtime:ping`), the token lifetime flow (`auth:refresh` with `auth`), the gateways' handlers, or nobody. */
  private routeOf(connection: RealtimeConnection, event: string): Route {
    if (event === PING_EVENT) return 'ping';
    if (event === AUTH_REFRESH_EVENT && this.lifetime) return 'refresh';
    return handles(connection.handlers, event) ? 'handlers' : 'unknown';
  }

  /** Resolves, when admission waits (on Redis), once the message was handled or refused. */
  private dispatch(
    connection: RealtimeConnection,
    route: Route,
    event: string,
    data: unknown,
    ack: AckCallback | undefined,
    observation?: MessageObservation,
  ): Promise<void> | undefined {
    if (route === 'refresh') {
      const lifetime = this.lifetime!; // the route is 'refresh' only with a token lifetime
      return this.admit(connection, event, data, ack, () => {
        const refreshed = lifetime.refresh(connection, data, ack);
        observation?.wait(refreshed);
      });
    }
    if (route === 'ping') return this.admit(connection, event, data, ack, () => answerPing(ack));
    if (route === 'handlers') return this.admit(connection, event, data, ack, () => this.runAll(connection, event, data, ack, observation));
    return this.admit(connection, event, data, ack, () => this.answer(connection, unknownEventError(event), event, ack));
  }

  /** A frame that names no event: it costs like a message, and is answered with `error`. */
  refuse(connection: RealtimeConnection, error: unknown): void {
    if (connection.isClosed) return;
    this.admit(connection, undefined, undefined, undefined, () => this.answer(connection, error, 'message', undefined));
  }

  /** A frame the app's own message parser dropped: it costs like a message, and nothing answers it. */
  drop(connection: RealtimeConnection): void {
    if (connection.isClosed) return;
    this.admit(connection, undefined, undefined, undefined, ignore);
  }

  private admit(connection: RealtimeConnection, event: string | undefined, data: unknown, ack: unknown, handle: () => void): Promise<void> | undefined {
    try {
      const admitted = this.gate.admit(connection, event, data, ack, handle);
      // A promise reaction that throws would be an unhandled rejection.
      if (admitted) return admitted.catch((error: unknown) => this.logError(`Admitting "${logSafe(event ?? 'message')}" failed`, error));
    } catch (error) {
      // The client is gone or its ack threw: nothing left to tell it.
      this.logError(`Admitting "${logSafe(event ?? 'message')}" failed`, error);
    }
    return undefined;
  }

  private answer(connection: RealtimeConnection, error: unknown, event: string, ack: AckCallback | undefined): void {
    deliverError(connection, reportError(error, event, connection.id), ack);
  }

  private runAll(connection: RealtimeConnection, event: string, data: unknown, ack: AckCallback | undefined, observation?: MessageObservation): void {
    for (const handler of connection.handlers) if (handler.message === event) this.run(connection, handler, data, ack, observation);
  }

  private run(connection: RealtimeConnection, handler: MessageHandler, data: unknown, ack: AckCallback | undefined, observation?: MessageObservation): void {
    try {
      const result = connection.invoke(handler, data, ack);
      // Nest's callbacks are async functions: this is the usual path, one `then` and no Observable.
      if (isThenable(result)) {
        const settled = Promise.resolve(result).then(
          (value) => this.settle(connection, handler, value, ack, observation),
          (error: unknown) => this.fail(handler, error, observation),
        );
        observation?.wait(settled);
      } else {
        this.settle(connection, handler, result, ack, observation);
      }
    } catch (error) {
      this.fail(handler, error, observation);
    }
  }

  /** Never throws: it runs in a promise reaction, where a throw would be an unhandled rejection. */
  private settle(connection: RealtimeConnection, handler: MessageHandler, result: unknown, ack: AckCallback | undefined, observation?: MessageObservation): void {
    try {
      if (isObservable(result)) this.stream(connection, handler, result, ack);
      else this.respond(connection, handler, result, ack);
    } catch (error) {
      this.fail(handler, error, observation);
    }
  }

  private respond(connection: RealtimeConnection, handler: MessageHandler, response: unknown, ack: AckCallback | undefined): void {
    // Nothing reaches a client once it is gone (Nest's takeUntil(disconnect)).
    if (response === undefined || response === null || connection.isClosed || !connection.open) return;
    try {
      connection.reply(handler, response as WsResponse | object, ack);
    } catch (error) {
      // The result could not be encoded (too deep, a cycle…): the client still gets its answer,
      // the contract's INTERNAL (Socket.IO marks an ack as sent only once its packet is built).
      this.answer(connection, error, String(handler.message), ack);
    }
  }

  private stream(connection: RealtimeConnection, handler: MessageHandler, source: Observable<unknown>, ack: AckCallback | undefined): void {
    // Nest never subscribes a result that arrives after the disconnect: no producer starts for nobody.
    if (connection.isClosed) return;
    let subscription: Subscription | undefined;
    let ended = false;
    const end = () => {
      ended = true;
      if (subscription) connection.untrack(subscription);
    };
    subscription = source.subscribe({
      next: (item) => {
        // A throw here would go to RxJS's unhandled-error hook, which crashes the process.
        try {
          this.respond(connection, handler, item, ack);
        } catch (error) {
          this.fail(handler, error);
        }
      },
      error: (error: unknown) => {
        end();
        this.fail(handler, error);
      },
      complete: end,
    });
    // A source that completed synchronously is already over.
    if (!ended) connection.track(subscription);
  }

  /**
   * Only failures the handler's exception filters did not absorb get here (a filter that
   * rethrows): an app bug, so it is logged, and the event keeps serving later messages.
   */
  private fail(handler: MessageHandler, error: unknown, observation?: MessageObservation): void {
    observation?.escaped();
    this.logError(`Handler of "${logSafe(String(handler.message))}" failed`, error);
  }

  /** Never throws either: it is the last stop of a failure, often inside a promise reaction. */
  logError(what: string, error: unknown): void {
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

function ignore(): void {}

/** Where `MessagePipeline.receive` sends a message. */
type Route = 'ping' | 'refresh' | 'handlers' | 'unknown';

/** The answer to `realtime:ping`: any frame proves the connection alive, this one says so. */
const PING_REPLY = Object.freeze({ status: 'ok' as const });

/** Answers a heartbeat; one sent without an ack (Socket.IO) needs no answer. */
function answerPing(ack: AckCallback | undefined): void {
  if (typeof ack === 'function') ack(PING_REPLY);
}

function handles(handlers: readonly MessageHandler[], event: string): boolean {
  for (const handler of handlers) if (handler.message === event) return true;
  return false;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
