import { AsyncLocalStorage } from 'node:async_hooks';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import type { RealtimeErrorPayload } from '../protocol/index.js';
import type { OpenTelemetryApi } from './load-opentelemetry-api.js';
import { ATTRIBUTE, RATE_LIMITED_OUTCOME } from './telemetry-names.js';

/** Where a message's outcome is recorded when it is known: `RealtimeTelemetry`. */
export interface MessageOutcomeSink {
  messageEnded(attributes: Attributes, seconds: number, rateLimited: boolean): void;
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
 * outcome (`ok`, the error contract's code, or `rate_limited`), its duration and its span. The
 * handler runs inside the span's context, so spans made in the handler are its children.
 */
export class MessageObservation {
  private outcome = 'ok';
  private requestId?: string;
  private error?: { name: string; message: string };
  // The pipeline's own turn counts as one: the observation ends when it and every handler are done.
  private pending = 1;
  private readonly started = performance.now();
  private readonly context?: Context;

  constructor(
    private readonly api: OpenTelemetryApi,
    private readonly sink: MessageOutcomeSink,
    private readonly attributes: Attributes,
    private readonly span: Span | undefined,
  ) {
    if (span) this.context = api.trace.setSpan(api.context.active(), span);
  }

  /** Runs the message's handling in its async context and its span's. */
  run(handle: () => void): void {
    current.run(this, () => (this.context ? this.api.context.with(this.context, handle) : handle()));
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
    const attributes: Attributes = { ...this.attributes, [ATTRIBUTE.outcome]: this.outcome };
    if (this.outcome !== 'ok') attributes[ATTRIBUTE.errorType] = this.outcome;
    this.sink.messageEnded(attributes, (performance.now() - this.started) / 1000, this.outcome === RATE_LIMITED_OUTCOME);
    const span = this.span;
    if (!span) return;
    span.setAttributes(attributes);
    if (this.requestId) span.setAttribute(ATTRIBUTE.requestId, this.requestId);
    if (this.error) {
      span.recordException(this.error);
      span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: this.error.message });
    }
    span.end();
  }
}
