import { defineOptionGroup } from '../config/option-group.js';
import { checkBoolean } from '../config/option-checks.js';
import type { RealtimeObservabilityOptions } from './observability-options.interface.js';

/** The `observability` options: default, check and doc line of each. */
export const observabilityOptionGroup = defineOptionGroup<RealtimeObservabilityOptions>()(
  {
    enabled: {
      check: (value, option) => checkBoolean(option, value),
      doc: {
        type: '`boolean`',
        default: 'on when an OpenTelemetry SDK is registered at boot',
        text: '`false` turns metrics and traces off; `true` fails at boot when `@opentelemetry/api` is not installed.',
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
