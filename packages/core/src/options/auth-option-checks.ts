import { createPublicKey } from 'node:crypto';
import type { JwtService } from '@nestjs/jwt';
import { RealtimeConfigError } from '../config/realtime-config.error.js';
import { checkNonEmptyString } from '../config/option-checks.js';
import { namespaceName } from '../protocol/index.js';
import type { TokenSource } from './auth-options.interface.js';

// RFC 7518 §3.2: an HMAC key must be at least as long as the hash output.
const MIN_SECRET_BYTES = 32;

/** `auth.secret`: a string or Buffer long enough for HMAC; the message never shows it. */
export function checkSecret(value: unknown): string | Buffer {
  const length = typeof value === 'string' ? Buffer.byteLength(value) : Buffer.isBuffer(value) ? value.length : -1;
  if (length < 0) throw new RealtimeConfigError('auth.secret', value, 'a string or Buffer', true);
  if (length < MIN_SECRET_BYTES) {
    // Never echo a secret into logs, not even a weak one.
    throw new RealtimeConfigError('auth.secret', `(${length} bytes)`, `at least ${MIN_SECRET_BYTES} bytes for HMAC signing (RFC 7518)`);
  }
  return value as string | Buffer;
}

/** `auth.publicKey`: a PEM key Node can parse. */
export function checkPublicKey(value: unknown): string | Buffer {
  try {
    if (typeof value !== 'string' && !Buffer.isBuffer(value)) throw new TypeError();
    createPublicKey(value);
    return value;
  } catch {
    throw new RealtimeConfigError('auth.publicKey', typeof value === 'string' ? `${value.slice(0, 30)}…` : value, 'a PEM-encoded public key');
  }
}

/** An http(s) URL, such as `auth.jwksUri`, normalized. */
export function checkUrl(option: string, value: unknown): string {
  try {
    const url = new URL(checkNonEmptyString(option, value));
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below
  }
  throw new RealtimeConfigError(option, value, 'an http(s) URL');
}

/** `auth.jwtService`: anything that verifies like `@nestjs/jwt`'s `JwtService`. */
export function checkJwtService(value: unknown): JwtService {
  if (!value || typeof (value as JwtService).verifyAsync !== 'function') {
    throw new RealtimeConfigError('auth.jwtService', value, 'a JwtService instance from @nestjs/jwt');
  }
  return value as JwtService;
}

/** `auth.issuer`: one or more non-empty strings; an array is copied. */
export function checkIssuer(value: unknown): string | string[] {
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '')) return [...value];
  throw new RealtimeConfigError('auth.issuer', value, 'a non-empty string or array of strings');
}

/** `auth.audience`: one or more non-empty strings or RegExps; an array is copied. */
export function checkAudience(value: unknown): string | RegExp | (string | RegExp)[] {
  const isEntry = (v: unknown) => (typeof v === 'string' && v !== '') || v instanceof RegExp;
  if (isEntry(value)) return value as string | RegExp;
  if (Array.isArray(value) && value.length > 0 && value.every(isEntry)) return [...value];
  throw new RealtimeConfigError('auth.audience', value, 'a non-empty string, RegExp, or array of them');
}

/**
 * `auth.cookieName`: an RFC 6265 cookie name, which is an HTTP token. Given while the `cookie`
 * source is off, it would read nothing: a setup that expects cookie tokens and gets none.
 */
export function checkCookieName(value: unknown, given: boolean, tokenSources: readonly TokenSource[]): string {
  if (typeof value !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value)) {
    throw new RealtimeConfigError('auth.cookieName', value, 'a cookie name (letters, digits and !#$%&\'*+-.^_`|~)');
  }
  if (given && !tokenSources.includes('cookie')) {
    throw new RealtimeConfigError(
      'auth.cookieName',
      value,
      `it only with "cookie" in auth.tokenSources, which is ${JSON.stringify(tokenSources)} (the cookie source is off unless listed): ` +
        "add \"cookie\", e.g. tokenSources: ['auth', 'header', 'cookie'], or remove auth.cookieName",
    );
  }
  return value;
}

/** `auth.publicNamespaces`, each written as the namespace it names (`'lobby'` → `'/lobby'`). */
export function checkNamespaces(value: unknown): string[] {
  if (!Array.isArray(value)) throw new RealtimeConfigError('auth.publicNamespaces', value, 'an array of namespace names');
  return value.map((ns, i) => namespaceName(checkNonEmptyString(`auth.publicNamespaces[${i}]`, ns, 'a namespace name such as "/lobby"')));
}
