import { defineOptionGroup } from '../config/option-group.js';
import { checkDurationMs, checkPositiveInteger } from '../config/option-checks.js';
import type { RealtimeDrainOptions } from './drain-options.interface.js';

/** The `drain` options: default, check and doc line of each. */
export const drainOptionGroup = defineOptionGroup<RealtimeDrainOptions>()(
  {
    timeoutMs: {
      default: 10_000,
      check: (value, option) => checkDurationMs(option, value),
      doc: { type: '`number` (ms)', text: 'Deadline for disconnecting every client; what remains then is disconnected at once.' },
    },
    batchSize: {
      default: 500,
      check: (value, option) => checkPositiveInteger(option, value, 'clients'),
      doc: { type: '`number`', text: 'Clients disconnected together; batches are spread over the deadline (at most 1 s apart).' },
    },
    reconnectDelayMs: {
      default: 1000,
      check: (value, option) => checkDurationMs(option, value, { allowZero: true }),
      doc: { type: '`number` (ms)', text: 'Suggested to clients in `server:draining { reconnectDelayMs }`.' },
    },
  },
  { expected: 'an object with timeoutMs, batchSize and reconnectDelayMs' },
);
