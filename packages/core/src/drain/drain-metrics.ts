import type { RealtimeTelemetry } from '../observability/realtime-telemetry.js';
import { METRIC } from '../observability/telemetry-names.js';

/** What the drain gauges read when the SDK collects. */
export interface DrainState {
  /** Whether the app is shutting down (new connections are refused). */
  readonly draining: boolean;
  /** Connections the drain has yet to disconnect; 0 when not draining, or done. */
  readonly remaining: number;
}

/** `realtime.draining` and `realtime.drain.remaining`, from what `read` returns at each collection. */
export function observeDrain(telemetry: RealtimeTelemetry, read: () => DrainState): void {
  telemetry.gauge(METRIC.draining, { description: 'Whether the instance is draining (1) or not (0).', unit: '1' }, () => [[read().draining ? 1 : 0, {}]]);
  telemetry.gauge(METRIC.drainRemaining, { description: 'Connections the drain has yet to disconnect.', unit: '{connection}' }, () => [[read().remaining, {}]]);
}
