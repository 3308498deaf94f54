import type { ResolvedOptions } from '../config/option-group.js';
import type { observabilityOptionGroup } from './resolve-observability-options.js';

/** OpenTelemetry metrics and traces (needs the optional peer `@opentelemetry/api`). */
export interface RealtimeObservabilityOptions {
  /**
   * Whether the library records metrics and traces. Left out, it does when an OpenTelemetry SDK
   * (a meter or tracer provider) is registered when the module starts, and costs nothing
   * otherwise; `false` turns it off; `true` fails at boot when `@opentelemetry/api` is not installed.
   * @default on when an OpenTelemetry SDK is registered at boot
   */
  enabled?: boolean;
  /**
   * Record presence room names as the `realtime.room` attribute. Off by default: room names may
   * come from clients and are unbounded, which metric backends pay for in series.
   * @default false
   */
  roomNames?: boolean;
}

/** The `observability` options after validation, every default applied. */
export interface ResolvedObservabilityOptions extends ResolvedOptions<typeof observabilityOptionGroup.specs> {}
