import type { BatchObservableResult, Meter, ObservableCounter } from '@opentelemetry/api';
import { messageSeriesIndex } from './message-series.js';
import { sentCountIndex } from './sent-messages.js';
import { METRIC } from './telemetry-names.js';

/**
 * The library's per-message counters (messages received and sent, rate-limit refusals), counted
 * in plain fields and reported as observable counters when the SDK collects: a message pays an
 * increment, not the SDK's attribute hashing.
 *
 * One set per meter, shared by every app of the process that records through it (an observable
 * counter reports one value per attribute set, so two apps' counts must add up in one place), and
 * kept as long as the meter: cumulative, like the SDK's own counters.
 */
export class MeterCounts {
  private static readonly byMeter = new WeakMap<Meter, MeterCounts>();

  static of(meter: Meter): MeterCounts {
    let counts = this.byMeter.get(meter);
    if (!counts) this.byMeter.set(meter, (counts = new MeterCounts(meter)));
    return counts;
  }

  readonly messages = messageSeriesIndex();
  readonly sent = sentCountIndex();

  private constructor(meter: Meter) {
    const received = meter.createObservableCounter(METRIC.messagesReceived, { description: 'Messages received from clients, by outcome.', unit: '{message}' });
    const refused = meter.createObservableCounter(METRIC.rateLimitRefusals, { description: 'Messages refused by the rate limit.', unit: '{message}' });
    const sent = meter.createObservableCounter(METRIC.messagesSent, { description: 'Messages sent to clients, by kind: ack, emit, broadcast.', unit: '{message}' });
    meter.addBatchObservableCallback((observer) => this.observe(observer, received, refused, sent), [received, refused, sent]);
  }

  private observe(observer: BatchObservableResult, received: ObservableCounter, refused: ObservableCounter, sent: ObservableCounter): void {
    for (const series of this.messages.all()) {
      for (const outcome of series.outcomes()) if (outcome.received) observer.observe(received, outcome.received, outcome.attributes);
      const rateLimited = series.rateLimited;
      if (rateLimited) observer.observe(refused, rateLimited, series.attributes);
    }
    for (const { count, attributes } of this.sent.all()) if (count) observer.observe(sent, count, attributes);
  }
}
