/** Longer delays overflow the platforms' timers, which then fire at once. */
export const MAX_DELAY_MS = 2_147_483_647;

/** Throws a `TypeError` naming the option unless `value` is milliseconds a timer can wait, from `min`. */
export function checkDelayOption(name: string, value: unknown, min: number, hint: string): asserts value is number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= MAX_DELAY_MS) return;
  throw new TypeError(`RealtimeWsClient: ${name} must be a number of milliseconds from ${min} to ${MAX_DELAY_MS} (${hint}); got ${String(value)}`);
}

/** A delay option that `0` or `false` turns off: its milliseconds, or `undefined` when off. */
export function optionalDelay(name: string, value: number | false | undefined, defaultMs: number, offHint: string): number | undefined {
  const delay = value ?? defaultMs;
  if (delay === false) return undefined;
  checkDelayOption(name, delay, 0, offHint);
  return delay === 0 ? undefined : delay;
}
