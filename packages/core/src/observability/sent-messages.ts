import type { TelemetryAttributes } from './message-observation.js';
import { SeriesIndex } from './series-index.js';
import { ATTRIBUTE } from './telemetry-names.js';

/**
 * How a message left: `ack` answers a client's request (a Socket.IO ack, a native handler's reply
 * frame), `emit` goes to one connection, `broadcast` to a room, a user or a namespace (counted
 * once, on the instance it was sent from, however many receive it).
 */
export type SentKind = 'ack' | 'emit' | 'broadcast';

/** Messages sent of one (transport, namespace, kind), counted in a plain field and reported at collection. */
export interface SentCount {
  readonly attributes: TelemetryAttributes;
  count: number;
}

export function sentCountIndex(): SeriesIndex<SentCount> {
  return new SeriesIndex<SentCount>((transport, scope, kind) => ({
    attributes: { [ATTRIBUTE.namespace]: scope, [ATTRIBUTE.transport]: transport, [ATTRIBUTE.kind]: kind },
    count: 0,
  }));
}
