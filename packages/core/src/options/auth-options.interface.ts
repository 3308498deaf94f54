import type { IncomingHttpHeaders } from 'node:http';
import type { JwtService } from '@nestjs/jwt';
import type { ResolvedOptions } from '../config/option-group.js';
import type { authOptionGroup } from './resolve-auth-options.js';

/** Where the handshake token may come from. */
export type TokenSource = 'auth' | 'header' | 'cookie' | 'query';

/** JWT signing algorithms the handshake accepts. `none` is never accepted. */
export type JwtAlgorithm =
  | 'HS256' | 'HS384' | 'HS512'
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512';

/** The authenticated user of a socket, as `validate()` returned it. `id` names the user everywhere. */
export interface RealtimeUser {
  id: string | number;
  [claim: string]: unknown;
}

/** The verified JWT claims handed to `validate()`. */
export interface JwtClaims {
  sub?: string;
  exp?: number;
  iat?: number;
  nbf?: number;
  iss?: string;
  aud?: string | string[];
  [claim: string]: unknown;
}

/** What `validate()` sees of the handshake: enough to check an IP or a header, nothing to trust for identity. */
export interface HandshakeInfo {
  headers: IncomingHttpHeaders;
  address: string;
  /** The Socket.IO namespace, or the path of a native WebSocket gateway. */
  namespace: string;
  query: Record<string, unknown>;
}

/** Maps verified claims to the user; return `null`/`false` (or throw) to refuse the connection. */
export type ValidateUser = (
  claims: JwtClaims,
  handshake: HandshakeInfo,
) => RealtimeUser | null | undefined | false | Promise<RealtimeUser | null | undefined | false>;

/**
 * Handshake authentication. Give exactly one key source: `secret`, `publicKey`, `jwksUri` or `jwtService`.
 */
export interface RealtimeAuthOptions {
  /**
   * HMAC secret (HS256/384/512), at least 32 bytes.
   * @default undefined (give one key source)
   */
  secret?: string | Buffer;
  /**
   * PEM public key (RS*, PS*, ES*).
   * @default undefined (give one key source)
   */
  publicKey?: string | Buffer;
  /**
   * URL of a JSON Web Key Set. Keys are fetched on first use, cached for `jwksCacheMs`, and
   * fetched again when a token names an unknown `kid` (key rotation).
   * @default undefined (give one key source)
   */
  jwksUri?: string;
  /**
   * How long fetched JWKS keys are trusted before they are fetched again, in milliseconds.
   * @default 600000
   */
  jwksCacheMs?: number;
  /**
   * An existing `JwtService` (e.g. from your `JwtModule`, injected into `forRootAsync`). Its own options apply.
   * @default undefined (give one key source)
   */
  jwtService?: JwtService;
  /**
   * Accepted algorithms. Pinning them prevents algorithm-confusion attacks.
   * @default ['HS256'] with `secret`, ['RS256'] with `publicKey` or `jwksUri`, the JwtService's own with `jwtService`
   */
  algorithms?: JwtAlgorithm[];
  /**
   * Required `iss` claim (one of).
   * @default undefined (not checked)
   */
  issuer?: string | string[];
  /**
   * Required `aud` claim (one of).
   * @default undefined (not checked)
   */
  audience?: string | RegExp | (string | RegExp)[];
  /**
   * Where the token is looked for, in order; the first source that has one wins. `cookie` is off
   * by default: a browser sends cookies with any website's connection, so turn it on together with
   * a `cors.origin` allowlist (the library warns at boot otherwise). `query` is off by default
   * because query strings end up in access logs.
   * @default ['auth', 'header']
   */
  tokenSources?: TokenSource[];
  /**
   * Cookie that carries the token when `tokenSources` includes `cookie`; setting it without
   * `cookie` in `tokenSources` is refused at boot.
   * @default 'access_token'
   */
  cookieName?: string;
  /**
   * Maps verified claims to the user stored in `socket.data.user`; may be async and may refuse.
   * @default (claims) => ({ ...claims, id: claims.sub }), refusing tokens without `sub`
   */
  validate?: ValidateUser;
  /**
   * Whether every namespace requires a token. With `false`, a missing token connects anonymously
   * (a token that is present must still be valid).
   * @default true
   */
  required?: boolean;
  /**
   * Namespaces where a token is optional, e.g. `['/lobby']`. A gateway can also mark its own
   * namespace: `@WebSocketGateway({ namespace: 'lobby', public: true })`.
   * @default []
   */
  publicNamespaces?: string[];
  /**
   * How long before the token expires the server emits `auth:expiring`, in milliseconds.
   * @default 60000
   */
  expiringNoticeMs?: number;
  /**
   * How long after expiry a connection without a refreshed token is kept (its messages already
   * fail with UNAUTHENTICATED), in milliseconds. Then it gets `auth:expired` and is disconnected.
   * @default 10000
   */
  refreshGraceMs?: number;
}

/** The `auth` options after validation, every default applied. */
export interface ResolvedAuthOptions extends ResolvedOptions<typeof authOptionGroup.specs> {}
