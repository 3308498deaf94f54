import type { RealtimeConnection } from '../connection/realtime-connection.js';
import type { RealtimeErrorPayload } from '../protocol/index.js';
import { RATE_LIMITED_OUTCOME } from './telemetry-names.js';

/** Attributes as the library records them: bounded strings. */
export type TelemetryAttributes = Record<string, string>;

/** What is known of a message once it ended, for its metrics and span. */
export interface MessageResult {
  /** `ok`, the error contract's code, or `rate_limited`. */
  outcome: string;
  seconds: number;
  /** The error contract's `requestId`, when the client was answered with an error. */
  requestId?: string;
  /** What the client was told of its failure: never the internal message. */
  error?: { name: string; message: string };
}

/** Where an observation goes when it ends (the telemetry records its metrics and ends its span). */
export type ObservationEnd = (observation: MessageObservation, result: MessageResult) => void;

/**
 * One received message, from the pipeline's first look until every handler settled: its
 * outcome (`ok`, the error contract's code, or `rate_limited`) and its duration, handed to
 * `ended`. The places that learn a failure far from the pipeline (the exception filter, the rate
 * limit) find it through `messagesInFlight` by connection, event and ack — not through an async
 * context, which would tax every promise in the process. Its types are the library's own, so the
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
    readonly connection: RealtimeConnection,
    /** The event as the client sent it: only to match failures to this message, never recorded. */
    readonly event: string,
    /** The client's ack, when it sent one: the exact match for a failure answered through it. */
    readonly ack: unknown,
    /** The telemetry's per-series state (attributes, counts) and span: opaque here. */
    readonly series: unknown,
    readonly span: unknown,
    private readonly ended: ObservationEnd,
  ) {}

  /** Whether the outcome is still `ok` (a failure was not recorded yet). */
  get succeeding(): boolean {
    return this.outcome === 'ok';
  }

  /** Waits for `work` (a handler's result, an admission waiting on Redis) before the message ends. */
  wait(work: PromiseLike<unknown> | void): void {
    if (!work) return;
    this.pending++;
    work.then(
      () => this.done(),
      () => this.done(),
    );
  }

  /**
   * The client was answered with the error contract: the first answer is the outcome. Only what
   * the client saw is kept (the code, the contract's message, the `requestId`): an internal error's
   * message stays in the server log, under the same `requestId`.
   */
  failed(payload: RealtimeErrorPayload): void {
    if (this.requestId) return;
    if (this.outcome === 'ok') this.outcome = payload.code;
    this.requestId = payload.requestId;
    this.error = { name: payload.code, message: payload.message };
  }

  /** The rate limit refused the message (it is answered with `RATE_LIMITED` next). */
  rateLimited(): void {
    if (this.outcome === 'ok') this.outcome = RATE_LIMITED_OUTCOME;
  }

  /** A failure no exception filter absorbed: the client got no answer, the log has the error. */
  escaped(): void {
    if (this.outcome !== 'ok') return;
    this.outcome = 'INTERNAL';
    this.error = { name: 'INTERNAL', message: 'Internal server error' };
  }

  /** The pipeline's turn is over; the message ends now, or when what it waits for settles. */
  done(): void {
    if (--this.pending > 0) return;
    const result: MessageResult = { outcome: this.outcome, seconds: (performance.now() - this.started) / 1000 };
    if (this.requestId) result.requestId = this.requestId;
    if (this.error) result.error = this.error;
    this.ended(this, result);
  }
}
