import type { Attributes, Tracer } from '@opentelemetry/api';
import type { OpenTelemetryApi } from './load-opentelemetry-api.js';
import { ATTRIBUTE, DELIVER_SPAN, SEND_SPAN } from './telemetry-names.js';
import { spanContextOf, traceparentOf } from './trace-parent.js';

/**
 * What a send is: who it is for (never which user, room or connection). `user` and `room` come
 * from `RealtimeService` / `RealtimeEmitter`; a gateway's own broadcast is to a `room` (or rooms),
 * one `connection` (`server.to(socketId)`), or the whole `namespace` (`server.emit()`).
 */
export interface SendTarget {
  namespace: string | undefined;
  /** Undefined for a packet that names no event. */
  event: string | undefined;
  to: 'user' | 'room' | 'connection' | 'namespace';
}

/**
 * Sends in a `realtime.send` span (kind PRODUCER), a child of the active context (the HTTP
 * request's span, a job's, a message's): `send` gets the span as a `traceparent` for the broadcast
 * to carry to every instance, whose deliveries become its children.
 */
export function traceSend(api: OpenTelemetryApi, tracer: Tracer, target: SendTarget, send: (traceparent: string) => void): void {
  const attributes: Attributes = { [ATTRIBUTE.target]: target.to };
  if (target.event !== undefined) attributes[ATTRIBUTE.event] = target.event;
  if (target.namespace !== undefined) attributes[ATTRIBUTE.namespace] = target.namespace;
  const span = tracer.startSpan(SEND_SPAN, { kind: api.SpanKind.PRODUCER, attributes });
  try {
    send(traceparentOf(span.spanContext()));
  } catch (error) {
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'Error' });
    throw error;
  } finally {
    span.end();
  }
}

/** Where a traced broadcast is delivered: its `traceparent`, and the transport and namespace (none for a user's native clients). */
export interface Delivery {
  traceparent: unknown;
  transport: string;
  scope: string | undefined;
}

/**
 * Delivers a traced broadcast and records it as a `realtime.deliver` span (kind CONSUMER), a child
 * of the `realtime.send` span its `traceparent` names, on whichever instance delivers it. `deliver`
 * returns how many connections it reached: every instance (and namespace) sees every broadcast,
 * and only those where it reached someone get a span.
 */
export function traceDelivery(api: OpenTelemetryApi, tracer: Tracer, { traceparent, transport, scope }: Delivery, deliver: () => number): void {
  const parent = spanContextOf(traceparent);
  if (!parent) return void deliver();
  const startTime = performance.timeOrigin + performance.now();
  const recipients = deliver();
  if (recipients === 0) return;
  const attributes: Attributes = { [ATTRIBUTE.transport]: transport, [ATTRIBUTE.recipients]: recipients };
  if (scope !== undefined) attributes[ATTRIBUTE.namespace] = scope;
  const { context, trace, SpanKind } = api;
  tracer.startSpan(DELIVER_SPAN, { kind: SpanKind.CONSUMER, attributes, startTime }, trace.setSpanContext(context.active(), parent)).end();
}
