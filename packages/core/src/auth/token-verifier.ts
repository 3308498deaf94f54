import { createPublicKey, createSecretKey } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { JwtService, type JwtVerifyOptions } from '@nestjs/jwt';
import type { HandshakeInfo, JwtClaims, ResolvedAuthOptions } from '../options/auth-options.interface.js';
import { AuthFailure } from './auth-failure.js';
import { JwksKeyStore } from './jwks-key-store.js';
import { logSafe } from '../logging/log-safe.js';
import { LogThrottle } from '../logging/log-throttle.js';
import type { Authenticated } from '../connection/identity.js';

/**
 * Verifies a token with `@nestjs/jwt` and turns its claims into the user via `validate()`.
 * Every refusal is an `AuthFailure` whose message is safe for the client.
 */
export class TokenVerifier {
  private readonly logger = new Logger('RealtimeAuth');
  // Any client can make these happen at will: a flood of them is a few lines, not one per handshake.
  private readonly throttle = new LogThrottle();
  private readonly verifyOptions: JwtVerifyOptions;
  private readonly jwt: JwtService;

  constructor(private readonly options: ResolvedAuthOptions) {
    this.jwt = options.jwtService ?? createJwtService(options);
    this.verifyOptions = {
      ...(options.algorithms ? { algorithms: options.algorithms } : {}),
      ...(options.issuer ? { issuer: options.issuer as JwtVerifyOptions['issuer'] } : {}),
      ...(options.audience ? { audience: options.audience as JwtVerifyOptions['audience'] } : {}),
    };
  }

  /** Verifies `token` and validates its claims into a user. */
  async authenticate(token: string, handshake: HandshakeInfo): Promise<Authenticated> {
    const claims = await this.verify(token);
    const user = await this.validate(claims, handshake);
    return { user, subject: claims.sub, expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null };
  }

  private async verify(token: string): Promise<JwtClaims> {
    try {
      return await this.jwt.verifyAsync<JwtClaims>(token, this.verifyOptions);
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TokenExpiredError') throw new AuthFailure('expired_token', 'Token expired');
      if (name === 'NotBeforeError') throw new AuthFailure('invalid_token', 'Token not valid yet');
      if (name !== 'JsonWebTokenError') {
        this.throttle.run('verify', (repeats) => this.logger.warn(`Token verification failed: ${logSafe((error as Error).message, 200)}${repeats}`));
      }
      throw new AuthFailure('invalid_token', 'Invalid token');
    }
  }

  private async validate(claims: JwtClaims, handshake: HandshakeInfo) {
    let user: Awaited<ReturnType<ResolvedAuthOptions['validate']>>;
    try {
      user = await this.options.validate(claims, handshake);
    } catch (error) {
      // The application's message may hold internals: log it, tell the client only that it was refused.
      this.throttle.run('validate', (repeats) =>
        this.logger.warn(`auth.validate() threw for sub ${logSafe(claims.sub)}: ${logSafe((error as Error)?.message ?? error, 200)}${repeats}`),
      );
      throw new AuthFailure('invalid_token', 'Token refused');
    }
    if (!user) throw new AuthFailure('invalid_token', 'Token refused');
    if (typeof user !== 'object' || (typeof user.id !== 'string' && typeof user.id !== 'number') || user.id === '') {
      this.throttle.run('validate-shape', (repeats) =>
        this.logger.error(`auth.validate() must return an object with a string or number \`id\`, or null to refuse.${repeats}`),
      );
      throw new AuthFailure('invalid_token', 'Token refused');
    }
    return user;
  }
}

function createJwtService(options: ResolvedAuthOptions): JwtService {
  if (!options.jwksUri) {
    // Key objects, built once: given a string, jsonwebtoken tries to parse it as a public key on
    // every verification (and throws, for an HMAC secret) before building the key it needs.
    return new JwtService({
      secret: options.secret === undefined ? undefined : (createSecretKey(Buffer.from(options.secret)) as unknown as string),
      publicKey: options.publicKey === undefined ? undefined : (createPublicKey(options.publicKey) as unknown as string),
    });
  }
  const keys = new JwksKeyStore(options.jwksUri, options.jwksCacheMs);
  const jwt: JwtService = new JwtService({
    secretOrKeyProvider: (_type: unknown, token: unknown) => keys.getKey(kidOf(jwt, token)),
  });
  return jwt;
}

/** The `kid` of a token's header, without verifying it (that comes next, with the key it names). */
function kidOf(jwt: JwtService, token: unknown): string | undefined {
  if (typeof token !== 'string') return undefined;
  const decoded = jwt.decode(token, { complete: true }) as { header?: { kid?: unknown } } | null;
  return typeof decoded?.header?.kid === 'string' ? decoded.header.kid : undefined;
}
