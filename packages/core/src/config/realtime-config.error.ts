/**
 * Thrown at boot when `RealtimeModule` options are invalid. The message names the option, the
 * value it got and what is allowed, so a typo in an env var is found before the first client.
 */
export class RealtimeConfigError extends Error {
  constructor(
    /** Dotted path of the offending option, e.g. `connectionStateRecovery.maxDisconnectionDuration`. */
    readonly option: string,
    /** The value that was given. */
    readonly value: unknown,
    /** What the option accepts. */
    readonly expected: string,
    /** Keep the value out of the message (and of logs): it may be a secret put in the wrong place. */
    redact = false,
  ) {
    super(`Invalid RealtimeModule option "${option}": got ${redact ? `${kindOf(value)} (not shown)` : describeValue(value)}; expected ${expected}.`);
    this.name = 'RealtimeConfigError';
    if (redact) this.value = undefined;
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : type === 'undefined' ? 'undefined' : `a ${type}`;
}

/** A short, type-revealing rendering of a bad value: `"3000"` (string) reads differently from 3000. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value instanceof RegExp) return String(value);
  if (value === null || typeof value !== 'object') return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
