import { RealtimeConfigError } from '../config/realtime-config.error.js';
import { defineOptionGroup, type GivenOptions } from '../config/option-group.js';
import { checkBoolean, checkDurationMs, checkFunction, checkOneOf, checkUniqueList } from '../config/option-checks.js';
import {
  checkAudience,
  checkCookieName,
  checkIssuer,
  checkJwtService,
  checkNamespaces,
  checkPublicKey,
  checkSecret,
  checkUrl,
} from './auth-option-checks.js';
import type { JwtAlgorithm, JwtClaims, RealtimeAuthOptions, TokenSource, ValidateUser } from './auth-options.interface.js';

const TOKEN_SOURCES: readonly TokenSource[] = ['auth', 'header', 'cookie', 'query'];
// Cookies and query strings only when asked for: a cookie is sent by the browser to any page's
// connection (see the origin allowlist), a query string ends up in access logs.
const DEFAULT_TOKEN_SOURCES: TokenSource[] = ['auth', 'header'];
const HMAC_ALGORITHMS: readonly JwtAlgorithm[] = ['HS256', 'HS384', 'HS512'];
const PUBLIC_KEY_ALGORITHMS: readonly JwtAlgorithm[] = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512',
];
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
export const defaultValidate: ValidateUser = (claims: JwtClaims) => {
  if (typeof claims.sub !== 'string' || claims.sub === '') return null;
  // A `__proto__` claim (JSON.parse keeps it as an own key) would go through Object.assign's
  // `__proto__` setter and become the user's prototype: a spread copies it as a plain property.
  if (Object.hasOwn(claims, '__proto__')) return { ...claims, id: claims.sub };
  // Object.assign rather than a spread otherwise: V8 gives every spread clone its own hidden class
  // once optimized, a cost each connection's user object would carry.
  return Object.assign({}, claims, { id: claims.sub });
};

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
      default: DEFAULT_TOKEN_SOURCES,
      check: (value, option) =>
        checkUniqueList(option, value, (source, entry) => checkOneOf(entry, source, TOKEN_SOURCES), `a non-empty array of ${TOKEN_SOURCES.join(', ')}`),
      doc: { type: "`('auth' \\| 'header' \\| 'cookie' \\| 'query')[]`", text: 'Where the token is looked for, in order; `cookie` and `query` only when listed.' },
    },
    cookieName: {
      default: 'access_token',
      // `tokenSources` is checked first (declaration order): `given.tokenSources` is valid or unset.
      check: (value, _option, given) => checkCookieName(value, given.cookieName !== undefined, (given.tokenSources as TokenSource[] | undefined) ?? DEFAULT_TOKEN_SOURCES),
      doc: { type: '`string`', text: 'Cookie read by the `cookie` source (set it only with `cookie` in `tokenSources`).' },
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
