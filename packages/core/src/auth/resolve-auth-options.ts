import { createPublicKey } from 'node:crypto';
import type { JwtService } from '@nestjs/jwt';
import { RealtimeConfigError } from '../options/realtime-config.error.js';
import { checkBoolean, checkDurationMs, checkFunction, checkKnownKeys, checkNonEmptyString, checkOneOf, checkUniqueList, isPlainObject } from '../options/option-checks.js';
import type { JwtAlgorithm, JwtClaims, RealtimeAuthOptions, ResolvedAuthOptions, TokenSource, ValidateUser } from './auth-options.interface.js';
import { namespaceName } from '../protocol/index.js';

const TOKEN_SOURCES: readonly TokenSource[] = ['auth', 'header', 'cookie', 'query'];
const HMAC_ALGORITHMS: readonly JwtAlgorithm[] = ['HS256', 'HS384', 'HS512'];
const PUBLIC_KEY_ALGORITHMS: readonly JwtAlgorithm[] = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512',
];
// RFC 7518 §3.2: an HMAC key must be at least as long as the hash output.
const MIN_SECRET_BYTES = 32;
const KEY_SOURCES = ['secret', 'publicKey', 'jwksUri', 'jwtService'] as const;

export const KNOWN_AUTH_OPTIONS: readonly (keyof RealtimeAuthOptions)[] = [
  ...KEY_SOURCES,
  'jwksCacheMs',
  'algorithms',
  'issuer',
  'audience',
  'tokenSources',
  'cookieName',
  'validate',
  'required',
  'publicNamespaces',
  'expiringNoticeMs',
  'refreshGraceMs',
];

/** The default `validate`: the claims become the user, `sub` becomes its `id`; no `sub`, no user. */
export const defaultValidate: ValidateUser = (claims: JwtClaims) =>
  typeof claims.sub === 'string' && claims.sub !== '' ? { ...claims, id: claims.sub } : null;

/** Validates `auth` options and applies their defaults. */
export function resolveAuthOptions(value: unknown): ResolvedAuthOptions {
  if (!isPlainObject(value)) {
    throw new RealtimeConfigError('auth', value, 'an object with secret, publicKey, jwksUri or jwtService', true);
  }
  checkKnownKeys('auth', value, KNOWN_AUTH_OPTIONS);
  const o = value as RealtimeAuthOptions;

  const keySources = KEY_SOURCES.filter((key) => o[key] !== undefined);
  if (keySources.length !== 1) {
    throw new RealtimeConfigError(
      'auth',
      keySources.length === 0 ? '(no key)' : keySources.join(' and '),
      'exactly one of auth.secret, auth.publicKey, auth.jwksUri, auth.jwtService',
    );
  }
  const keySource = keySources[0]!;
  return {
    ...(o.secret !== undefined ? { secret: checkSecret(o.secret) } : {}),
    ...(o.publicKey !== undefined ? { publicKey: checkPublicKey(o.publicKey) } : {}),
    ...(o.jwksUri !== undefined ? { jwksUri: checkUrl('auth.jwksUri', o.jwksUri) } : {}),
    ...(o.jwtService !== undefined ? { jwtService: checkJwtService(o.jwtService) } : {}),
    jwksCacheMs: o.jwksCacheMs === undefined ? 600_000 : checkDurationMs('auth.jwksCacheMs', o.jwksCacheMs),
    algorithms: checkAlgorithms(o.algorithms, keySource),
    ...(o.issuer !== undefined ? { issuer: checkIssuer(o.issuer) } : {}),
    ...(o.audience !== undefined ? { audience: checkAudience(o.audience) } : {}),
    tokenSources:
      o.tokenSources === undefined
        ? ['auth', 'header', 'cookie']
        : checkUniqueList(
            'auth.tokenSources',
            o.tokenSources,
            (source, option) => checkOneOf(option, source, TOKEN_SOURCES),
            `a non-empty array of ${TOKEN_SOURCES.join(', ')}`,
          ),
    cookieName: o.cookieName === undefined ? 'access_token' : checkCookieName(o.cookieName),
    validate: o.validate === undefined ? defaultValidate : checkFunction('auth.validate', o.validate, 'a function (claims, handshake) => user | null'),
    required: o.required === undefined ? true : checkBoolean('auth.required', o.required),
    publicNamespaces: o.publicNamespaces === undefined ? [] : checkNamespaces(o.publicNamespaces),
    expiringNoticeMs: o.expiringNoticeMs === undefined ? 60_000 : checkDurationMs('auth.expiringNoticeMs', o.expiringNoticeMs),
    refreshGraceMs:
      o.refreshGraceMs === undefined ? 10_000 : checkDurationMs('auth.refreshGraceMs', o.refreshGraceMs, { allowZero: true }),
  };
}

function checkSecret(value: unknown): string | Buffer {
  const length = typeof value === 'string' ? Buffer.byteLength(value) : Buffer.isBuffer(value) ? value.length : -1;
  if (length < 0) throw new RealtimeConfigError('auth.secret', value, 'a string or Buffer', true);
  if (length < MIN_SECRET_BYTES) {
    // Never echo a secret into logs, not even a weak one.
    throw new RealtimeConfigError('auth.secret', `(${length} bytes)`, `at least ${MIN_SECRET_BYTES} bytes for HMAC signing (RFC 7518)`);
  }
  return value as string | Buffer;
}

function checkPublicKey(value: unknown): string | Buffer {
  try {
    if (typeof value !== 'string' && !Buffer.isBuffer(value)) throw new TypeError();
    createPublicKey(value);
    return value;
  } catch {
    throw new RealtimeConfigError('auth.publicKey', typeof value === 'string' ? `${value.slice(0, 30)}…` : value, 'a PEM-encoded public key');
  }
}

function checkUrl(option: string, value: unknown): string {
  try {
    const url = new URL(checkNonEmptyString(option, value));
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below
  }
  throw new RealtimeConfigError(option, value, 'an http(s) URL');
}

function checkJwtService(value: unknown): JwtService {
  if (!value || typeof (value as JwtService).verifyAsync !== 'function') {
    throw new RealtimeConfigError('auth.jwtService', value, 'a JwtService instance from @nestjs/jwt');
  }
  return value as JwtService;
}

function checkAlgorithms(value: unknown, keySource: (typeof KEY_SOURCES)[number]): JwtAlgorithm[] | undefined {
  const allowed =
    keySource === 'secret' ? HMAC_ALGORITHMS : keySource === 'jwtService' ? [...HMAC_ALGORITHMS, ...PUBLIC_KEY_ALGORITHMS] : PUBLIC_KEY_ALGORITHMS;
  if (value === undefined) return keySource === 'secret' ? ['HS256'] : keySource === 'jwtService' ? undefined : ['RS256'];
  return checkUniqueList(
    'auth.algorithms',
    value,
    (algorithm, option) => checkOneOf(option, algorithm, allowed),
    `a non-empty array of ${allowed.join(', ')}`,
  );
}

function checkIssuer(value: unknown): string | string[] {
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '')) return [...value];
  throw new RealtimeConfigError('auth.issuer', value, 'a non-empty string or array of strings');
}

function checkAudience(value: unknown): string | RegExp | (string | RegExp)[] {
  const isEntry = (v: unknown) => (typeof v === 'string' && v !== '') || v instanceof RegExp;
  if (isEntry(value)) return value as string | RegExp;
  if (Array.isArray(value) && value.length > 0 && value.every(isEntry)) return [...value];
  throw new RealtimeConfigError('auth.audience', value, 'a non-empty string, RegExp, or array of them');
}

function checkCookieName(value: unknown): string {
  // RFC 6265 cookie-name is an HTTP token.
  if (typeof value !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value)) {
    throw new RealtimeConfigError('auth.cookieName', value, 'a cookie name (letters, digits and !#$%&\'*+-.^_`|~)');
  }
  return value;
}

function checkNamespaces(value: unknown): string[] {
  if (!Array.isArray(value)) throw new RealtimeConfigError('auth.publicNamespaces', value, 'an array of namespace names');
  return value.map((ns, i) => namespaceName(checkNonEmptyString(`auth.publicNamespaces[${i}]`, ns, 'a namespace name such as "/lobby"')));
}
