import type { ResolvedOptions } from '../config/option-group.js';
import type { observabilityOptionGroup } from './resolve-observability-options.js';

/** OpenTelemetry metrics and traces (needs the optional peer `@opentelemetry/api`). */
export interface RealtimeObservabilityOptions {
  /**
   * Whether the library records metrics and traces through the OpenTelemetry SDK (a meter or
   * tracer provider) registered before the module starts. `'auto'` (the default): on when
   * `@opentelemetry/api` is installed and an SDK is registered, otherwise off without a word, so an
   * app without an SDK pays nothing. `true` fails at boot when `@opentelemetry/api` is not
   * installed, and warns when no SDK is registered. `false` is off, whatever is registered.
   * @default 'auto'
   */
  enabled?: boolean | 'auto';
  /**
   * Record spans (handshake, message, send, deliver) when a tracer provider is registered. `false`
   * keeps the metrics alone: spans cost more per message than metrics (see the Observability guide),
   * and an app that traces its HTTP requests need not trace every message.
   * @default true
   */
  traces?: boolean;
  /**
   * Record presence room names as the `realtime.room` attribute. Off by default: room names may
   * come from clients and are unbounded, which metric backends pay for in series.
   * @default false
   */
  roomNames?: boolean;
}

/** The `observability` options after validation, every default applied. */
export interface ResolvedObservabilityOptions extends ResolvedOptions<typeof observabilityOptionGroup.specs> {}
