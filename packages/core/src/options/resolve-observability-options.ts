import { defineOptionGroup } from '../config/option-group.js';
import { checkBoolean } from '../config/option-checks.js';
import type { RealtimeObservabilityOptions } from './observability-options.interface.js';

/** The `observability` options: default, check and doc line of each. */
export const observabilityOptionGroup = defineOptionGroup<RealtimeObservabilityOptions>()(
  {
    enabled: {
      default: false,
      check: (value, option) => checkBoolean(option, value),
      doc: {
        type: '`boolean`',
        text: 'Record metrics and traces through the OpenTelemetry SDK registered at boot; `true` needs `@opentelemetry/api`.',
      },
    },
    roomNames: {
      default: false,
      check: (value, option) => checkBoolean(option, value),
      doc: { type: '`boolean`', text: 'Record presence room names as the `realtime.room` attribute (they may come from clients: unbounded).' },
    },
  },
  { expected: 'an object with enabled and roomNames' },
);
