import { defineOptionGroup } from '../config/option-group.js';
import { checkBoolean } from '../config/option-checks.js';
import { RealtimeConfigError } from '../config/realtime-config.error.js';
import type { RealtimeObservabilityOptions } from './observability-options.interface.js';

/** `true`, `false` or `'auto'`. */
function checkEnabled(option: string, value: unknown): boolean | 'auto' {
  if (value === 'auto' || typeof value === 'boolean') return value;
  throw new RealtimeConfigError(option, value, "true, false or 'auto'");
}

/** The `observability` options: default, check and doc line of each. */
export const observabilityOptionGroup = defineOptionGroup<RealtimeObservabilityOptions>()(
  {
    enabled: {
      default: 'auto',
      check: (value, option) => checkEnabled(option, value),
      doc: {
        type: "`boolean` \\| `'auto'`",
        text: "Record metrics and traces through the OpenTelemetry SDK registered at boot; `'auto'`: on when one is, silently off otherwise; `true` needs `@opentelemetry/api`.",
      },
    },
    traces: {
      default: true,
      check: (value, option) => checkBoolean(option, value),
      doc: { type: '`boolean`', text: 'Record spans when a tracer provider is registered; `false` keeps the metrics alone (spans cost more per message).' },
    },
    roomNames: {
      default: false,
      check: (value, option) => checkBoolean(option, value),
      doc: { type: '`boolean`', text: 'Record presence room names as the `realtime.room` attribute (they may come from clients: unbounded).' },
    },
  },
  { expected: 'an object with enabled, traces and roomNames' },
);
