import type { RateLimitBudget } from '../options/rate-limit-options.interface.js';
import { checkBudget } from '../options/resolve-rate-limit-options.js';

export const RATE_LIMIT_METADATA = 'realtime:rate_limit';

/**
 * This handler's own budget per connection, instead of the module's `rateLimit` (which it then
 * does not consume); `false` exempts it. Checked at startup: a bad budget fails the boot.
 *
 * @example @RateLimit({ points: 5, durationMs: 60_000 }) @SubscribeMessage('invite')
 */
export function RateLimit(budget: RateLimitBudget | false): MethodDecorator {
  const checked = budget === false ? false : checkBudget('@RateLimit()', budget);
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(RATE_LIMIT_METADATA, checked, descriptor.value as object);
  };
}
