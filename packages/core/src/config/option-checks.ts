import { RealtimeConfigError } from './realtime-config.error.js';

// setTimeout/setInterval overflow above this and fire immediately.
const MAX_TIMER_MS = 2_147_483_647;

/** An object literal (or `Object.create(null)`), not an array, class instance or other object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `true` or `false`, nothing truthy. */
export function checkBoolean(option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new RealtimeConfigError(option, value, 'true or false');
  return value;
}

/** A whole number above 0; `unit` says what it counts, for the message. */
export function checkPositiveInteger(option: string, value: unknown, unit: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new RealtimeConfigError(option, value, `a positive integer (${unit})`);
  }
  return value;
}

/** Milliseconds a timer can wait; `allowZero` for durations where 0 means "at once". */
export function checkDurationMs(option: string, value: unknown, { allowZero = false } = {}): number {
  if (allowZero && value === 0) return 0;
  const ms = checkPositiveInteger(option, value, allowZero ? 'milliseconds, or 0' : 'milliseconds');
  if (ms > MAX_TIMER_MS) throw new RealtimeConfigError(option, value, `at most ${MAX_TIMER_MS} milliseconds`);
  return ms;
}

/** A string with something other than spaces. */
export function checkNonEmptyString(option: string, value: unknown, expected = 'a non-empty string'): string {
  if (typeof value !== 'string' || value.trim() === '') throw new RealtimeConfigError(option, value, expected);
  return value;
}

/** A function; `expected` describes its signature for the message. */
export function checkFunction<T>(option: string, value: unknown, expected: string): T {
  if (typeof value !== 'function') throw new RealtimeConfigError(option, value, expected);
  return value as T;
}

/** A non-empty array whose entries each pass `check`, each at most once. */
export function checkUniqueList<T>(option: string, value: unknown, check: (entry: unknown, option: string) => T, expected: string): T[] {
  if (!Array.isArray(value) || value.length === 0) throw new RealtimeConfigError(option, value, expected);
  const entries = value.map((entry, i) => check(entry, `${option}[${i}]`));
  if (new Set(entries).size !== entries.length) throw new RealtimeConfigError(option, value, 'each entry at most once');
  return entries;
}

/** One of the `allowed` strings. */
export function checkOneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new RealtimeConfigError(option, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

/** Rejects keys the option group does not know, so a typo fails at boot instead of being ignored. */
export function checkKnownKeys(group: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const option = group ? `${group}.${key}` : key;
      throw new RealtimeConfigError(option, value[key], `no such option; known options are ${known.join(', ')}`, true);
    }
  }
}
