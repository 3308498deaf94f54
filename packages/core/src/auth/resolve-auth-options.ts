import { createPublicKey } from 'node:crypto';
import type { JwtService } from '@nestjs/jwt';
import { RealtimeConfigError } from '../options/realtime-config.error.js';
import { defineOptionGroup, type GivenOptions } from '../options/option-group.js';
import {
  checkBoolean,
  checkDurationMs,
  checkFunction,
  checkNonEmptyString,
  checkOneOf,
  checkUniqueList,
} from '../options/option-checks.js';
import { namespaceName } from '../names.js';
import type { JwtAlgorithm, JwtClaims, RealtimeAuthOptions, TokenSource, ValidateUser } from './auth-options.interface.js';

const TOKEN_SOURCES: readonly TokenSource[] = ['auth', 'header', 'cookie', 'query'];
const HMAC_ALGORITHMS: readonly JwtAlgorithm[] = ['HS256', 'HS384', 'HS512'];
const PUBLIC_KEY_ALGORITHMS: readonly JwtAlgorithm[] = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512',
];
// RFC 7518 §3.2: an HMAC key must be at least as long as the hash output.
const MIN_SECRET_BYTES = 32;
const KEY_SOURCES = ['secret', 'publicKey', 'jwksUri', 'jwtService'] as const;
type KeySource = (typeof KEY_SOURCES)[number];
const ALGORITHMS_BY_KEY_SOURCE: Record<KeySource, readonly JwtAlgorithm[]> = {
  secret: HMAC_ALGORITHMS,
  publicKey: PUBLIC_KEY_ALGORITHMS,
  jwksUri: PUBLIC_KEY_ALGORITHMS,
  jwtService: [...HMAC_ALGORITHMS, ...PUBLIC_KEY_ALGORITHMS],
};
const DEFAULT_ALGORITHMS: Record<KeySource, JwtAlgorithm[] | undefined> = {
  secret: ['HS256'],
  publicKey: ['RS256'],
  jwksUri: ['RS256'],
  // A JwtService verifies with its own options; pinning algorithms here would override them.
  jwtService: undefined,
};

/** The default `validate`: the claims become the user, `sub` becomes its `id`; no `sub`, no user. */
export const defaultValidate: ValidateUser = (claims: JwtClaims) =>
  typeof claims.sub === 'string' && claims.sub !== '' ? { ...claims, id: claims.sub } : null;

/** The one key source the group was given; the group check has made sure there is exactly one. */
const keySourceOf = (given: GivenOptions): KeySource => KEY_SOURCES.find((key) => given[key] !== undefined)!;

/** The `auth` options: default, check and doc line of each. */
export const authOptionGroup = defineOptionGroup<RealtimeAuthOptions>()(
  {
    secret: {
      check: (value) => checkSecret(value),
      doc: {
        type: '`string` \\| `Buffer`',
        text: 'HMAC secret, at least 32 bytes. One of `secret`, `publicKey`, `jwksUri`, `jwtService` is required.',
      },
    },
    publicKey: {
      check: (value) => checkPublicKey(value),
      doc: { type: 'PEM `string` \\| `Buffer`', text: 'Public key for RS*, PS*, ES* tokens.' },
    },
    jwksUri: {
      check: (value, option) => checkUrl(option, value),
      doc: { type: '`string`', text: 'JSON Web Key Set URL (keys cached, refetched on an unknown `kid`).' },
    },
    jwtService: {
      check: (value) => checkJwtService(value),
      doc: { type: '`JwtService`', text: 'An existing `@nestjs/jwt` service; its options apply.' },
    },
    jwksCacheMs: {
      default: 600_000,
      check: (value, option) => checkDurationMs(option, value),
      doc: { type: '`number` (ms)', text: 'How long JWKS keys are trusted.' },
    },
    algorithms: {
      defaultFrom: (given) => DEFAULT_ALGORITHMS[keySourceOf(given)],
      check: (value, option, given) => {
        const allowed = ALGORITHMS_BY_KEY_SOURCE[keySourceOf(given)];
        return checkUniqueList(option, value, (algorithm, entry) => checkOneOf(entry, algorithm, allowed), `a non-empty array of ${allowed.join(', ')}`);
      },
      doc: { type: '`string[]`', default: "`['HS256']` / `['RS256']`", text: 'Accepted algorithms; never `none`.' },
    },
    issuer: {
      check: (value) => checkIssuer(value),
      doc: { type: '`string` \\| `string[]`', default: 'not checked', text: 'Required `iss`.' },
    },
    audience: {
      check: (value) => checkAudience(value),
      doc: { type: '`string` \\| `RegExp` \\| array', default: 'not checked', text: 'Required `aud`.' },
    },
    tokenSources: {
      default: ['auth', 'header', 'cookie'],
      check: (value, option) =>
        checkUniqueList(option, value, (source, entry) => checkOneOf(entry, source, TOKEN_SOURCES), `a non-empty array of ${TOKEN_SOURCES.join(', ')}`),
      doc: { type: "`('auth' \\| 'header' \\| 'cookie' \\| 'query')[]`", text: 'Where the token is looked for, in order.' },
    },
    cookieName: {
      default: 'access_token',
      check: (value) => checkCookieName(value),
      doc: { type: '`string`', text: 'Cookie read by the `cookie` source.' },
    },
    validate: {
      default: defaultValidate,
      check: (value, option) => checkFunction<ValidateUser>(option, value, 'a function (claims, handshake) => user | null'),
      doc: {
        type: '`(claims, handshake) => user \\| null`',
        default: '`{ ...claims, id: claims.sub }`',
        text: 'Maps claims to the user; may be async; `null` or a throw refuses.',
      },
    },
    required: {
      default: true,
      check: (value, option) => checkBoolean(option, value),
      doc: { type: '`boolean`', text: '`false`: clients without a token connect anonymously.' },
    },
    publicNamespaces: {
      default: [],
      check: (value) => checkNamespaces(value),
      doc: { type: '`string[]`', text: 'Namespaces where a token is optional.' },
    },
    expiringNoticeMs: {
      default: 60_000,
      check: (value, option) => checkDurationMs(option, value),
      doc: { type: '`number` (ms)', text: 'When `auth:expiring` is sent before `exp`.' },
    },
    refreshGraceMs: {
      default: 10_000,
      check: (value, option) => checkDurationMs(option, value, { allowZero: true }),
      doc: { type: '`number` (ms)', text: 'How long after `exp` a connection may still refresh.' },
    },
  },
  {
    expected: 'an object with secret, publicKey, jwksUri or jwtService',
    redact: true,
    check: (given) => {
      const keySources = KEY_SOURCES.filter((key) => given[key] !== undefined);
      if (keySources.length !== 1) {
        throw new RealtimeConfigError(
          'auth',
          keySources.length === 0 ? '(no key)' : keySources.join(' and '),
          'exactly one of auth.secret, auth.publicKey, auth.jwksUri, auth.jwtService',
        );
      }
    },
  },
);

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
