import { AsyncLocalStorage } from 'node:async_hooks';
import type { RealtimeErrorPayload } from '../protocol/index.js';
import { ATTRIBUTE, RATE_LIMITED_OUTCOME } from './telemetry-names.js';

/** Attributes as the library records them: bounded strings. */
export type TelemetryAttributes = Record<string, string>;

/** What is known of a message once it ended, for its metrics and span. */
export interface MessageResult {
  /** The message's attributes, its outcome (and `error.type` when it failed) included. */
  attributes: TelemetryAttributes;
  seconds: number;
  rateLimited: boolean;
  /** The error contract's `requestId`, when the client was answered with an error. */
  requestId?: string;
  /** What the client was told of its failure: never the internal message. */
  error?: { name: string; message: string };
}

// The message being handled, for the places that learn its outcome far from the pipeline: the
// exception filter (inside Nest's callbacks), the rate limit's refusal. Set only while
// observability is on, so a message costs no async-context switch otherwise.
const current = new AsyncLocalStorage<MessageObservation>();

/** The message being handled in this async context, when observability is on. */
export function observedMessage(): MessageObservation | undefined {
  return current.getStore();
}

/**
 * One received message, from the pipeline's first look until every handler settled: its
 * outcome (`ok`, the error contract's code, or `rate_limited`) and its duration, handed to
 * `ended` (which records the metrics and ends the span). Its types are the library's own, so the
 * published declarations do not need `@opentelemetry/api`.
 */
export class MessageObservation {
  private outcome = 'ok';
  private requestId?: string;
  private error?: { name: string; message: string };
  // The pipeline's own turn counts as one: the observation ends when it and every handler are done.
  private pending = 1;
  private readonly started = performance.now();

  constructor(
    private readonly attributes: TelemetryAttributes,
    private readonly ended: (result: MessageResult) => void,
    /** Runs the handling inside the message span's context, when there is a span. */
    private readonly enter?: (handle: () => void) => void,
  ) {}

  /** Runs the message's handling in its async context (and its span's). */
  run(handle: () => void): void {
    const enter = this.enter;
    current.run(this, enter ? () => enter(handle) : handle);
  }

  /** Waits for `work` (a handler's result, an admission waiting on Redis) before the message ends. */
  wait(work: PromiseLike<unknown> | void): void {
    if (!work) return;
    this.pending++;
    const done = () => this.done();
    work.then(done, done);
  }

  /**
   * The client was answered with the error contract: the first answer is the outcome. Only what
   * the client saw is kept (the code, the contract's message, the `requestId`): an internal error's
   * message stays in the server log, under the same `requestId`.
   */
  failed(payload: RealtimeErrorPayload, exception: unknown): void {
    if (this.requestId) return;
    if (this.outcome === 'ok') this.outcome = payload.code;
    this.requestId = payload.requestId;
    this.error = { name: exception instanceof Error ? exception.name : 'Error', message: payload.message };
  }

  /** The rate limit refused the message (it is answered with `RATE_LIMITED` next). */
  rateLimited(): void {
    if (this.outcome === 'ok') this.outcome = RATE_LIMITED_OUTCOME;
  }

  /** A failure no exception filter absorbed: the client got no answer, the log has the error. */
  escaped(exception: unknown): void {
    if (this.outcome !== 'ok') return;
    this.outcome = 'INTERNAL';
    this.error = { name: exception instanceof Error ? exception.name : 'Error', message: 'Internal server error' };
  }

  /** The pipeline's turn is over; the message ends now, or when what it waits for settles. */
  done(): void {
    if (--this.pending === 0) this.end();
  }

  private end(): void {
    const attributes: TelemetryAttributes = { ...this.attributes, [ATTRIBUTE.outcome]: this.outcome };
    if (this.outcome !== 'ok') attributes[ATTRIBUTE.errorType] = this.outcome;
    this.ended({
      attributes,
      seconds: (performance.now() - this.started) / 1000,
      rateLimited: this.outcome === RATE_LIMITED_OUTCOME,
      ...(this.requestId ? { requestId: this.requestId } : {}),
      ...(this.error ? { error: this.error } : {}),
    });
  }
}
