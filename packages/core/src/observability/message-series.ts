import { ATTRIBUTE, RATE_LIMITED_OUTCOME } from './telemetry-names.js';
import type { TelemetryAttributes } from './message-observation.js';
import { SeriesIndex } from './series-index.js';

/** One outcome of a series: its attributes, made once, and how many messages ended with it. */
export interface OutcomeSeries {
  readonly attributes: TelemetryAttributes;
  received: number;
}

/**
 * The messages of one (namespace, event, transport), counted here by outcome. Counting in plain
 * fields and reporting the totals when the SDK collects (observable counters) spares every message
 * the SDK's attribute hashing; the attribute objects are made once per outcome, not per message.
 */
export class MessageSeries {
  readonly ok: OutcomeSeries;
  /** The name of its messages' spans: `<namespace> <event>`. */
  readonly spanName: string;
  private readonly failures = new Map<string, OutcomeSeries>();

  constructor(readonly attributes: TelemetryAttributes) {
    this.ok = { attributes: { ...attributes, [ATTRIBUTE.outcome]: 'ok' }, received: 0 };
    this.spanName = `${attributes[ATTRIBUTE.namespace]} ${attributes[ATTRIBUTE.event]}`;
  }

  /** The series of `outcome` (`ok`, an error code, `rate_limited`). */
  outcome(outcome: string): OutcomeSeries {
    if (outcome === 'ok') return this.ok;
    let series = this.failures.get(outcome);
    if (!series) {
      // error.type is the error contract's code, the one the client got (RATE_LIMITED for rate_limited).
      const errorType = outcome === RATE_LIMITED_OUTCOME ? 'RATE_LIMITED' : outcome;
      series = { attributes: { ...this.attributes, [ATTRIBUTE.outcome]: outcome, [ATTRIBUTE.errorType]: errorType }, received: 0 };
      this.failures.set(outcome, series);
    }
    return series;
  }

  /** Every outcome seen so far. */
  *outcomes(): IterableIterator<OutcomeSeries> {
    yield this.ok;
    yield* this.failures.values();
  }

  /** Messages the rate limit refused. */
  get rateLimited(): number {
    return this.failures.get(RATE_LIMITED_OUTCOME)?.received ?? 0;
  }
}

/** The series of every (transport, namespace, event) seen. */
export function messageSeriesIndex(): SeriesIndex<MessageSeries> {
  return new SeriesIndex(
    (transport, scope, event) => new MessageSeries({ [ATTRIBUTE.namespace]: scope, [ATTRIBUTE.event]: event, [ATTRIBUTE.transport]: transport }),
  );
}
