import type { SpanContext } from '@opentelemetry/api';

// W3C Trace Context: version 00, trace id, parent span id, flags.
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * A span's context as a W3C `traceparent`, the form a broadcast carries to the instances that
 * deliver it. Written and read here rather than through the app's registered propagator: the
 * carrier is the library's own, on both ends, whatever propagators the app configured.
 */
export function traceparentOf({ traceId, spanId, traceFlags }: SpanContext): string {
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
}

/** The remote span context a `traceparent` names, or `undefined` for anything else. */
export function spanContextOf(traceparent: unknown): SpanContext | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const match = TRACEPARENT.exec(traceparent);
  if (!match) return undefined;
  return { traceId: match[1]!, spanId: match[2]!, traceFlags: Number.parseInt(match[3]!, 16), isRemote: true };
}
