import type { ResolvedOptions } from '../config/option-group.js';
import type { observabilityOptionGroup } from './resolve-observability-options.js';

/** OpenTelemetry metrics and traces (needs the optional peer `@opentelemetry/api`). */
export interface RealtimeObservabilityOptions {
  /**
   * Whether the library records metrics and traces through the OpenTelemetry SDK (a meter or
   * tracer provider) registered before the module starts. Off by default: with an SDK, every
   * message pays for its span and metric records (see the Observability guide). `true` fails at
   * boot when `@opentelemetry/api` is not installed, and warns when no SDK is registered.
   * @default false
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
