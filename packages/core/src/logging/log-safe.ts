// C0 and C1 controls (newlines, ANSI escapes), line/paragraph separators and bidi overrides: each
// could forge a log line or hide what follows it.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A client-supplied value (an event name, a token's `kid` or `sub`, a user id from claims) made
 * safe for one log line: unsafe characters become `?` and it is cut to `maxLength` characters.
 */
export function logSafe(value: unknown, maxLength = 120): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  const cut = text.length > maxLength ? `${text.slice(0, maxLength)}…(${text.length - maxLength} more)` : text;
  return cut.replace(UNSAFE, '?');
}
