import type { INestApplicationContext } from '@nestjs/common';
import { JwtService, type JwtSignOptions } from '@nestjs/jwt';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';

/**
 * Signs a token the app's handshake accepts: with its `auth.secret` (first configured algorithm,
 * issuer and audience) or its `auth.jwtService`. Apps that verify with a public key or JWKS hold
 * no private key: sign those tokens in the test yourself.
 *
 * @example signToken(app, { sub: 'ada', roles: ['admin'] }, { expiresIn: '5m' })
 */
export function signToken(app: INestApplicationContext, claims: Record<string, unknown>, options: JwtSignOptions = {}): string {
  const { auth } = app.get<ResolvedRealtimeOptions>(REALTIME_OPTIONS, { strict: false });
  if (!auth) throw new Error('signToken: the app has no RealtimeModule `auth` options.');
  if (auth.jwtService) return auth.jwtService.sign(claims, options);
  if (auth.secret === undefined) {
    throw new Error('signToken: the app verifies with a public key or JWKS, so only your issuer can sign its tokens.');
  }
  // A RegExp audience matches tokens but cannot be put in one.
  const audience = Array.isArray(auth.audience) ? auth.audience[0] : auth.audience;
  const defaults: JwtSignOptions = {
    secret: auth.secret,
    algorithm: auth.algorithms?.[0] ?? 'HS256',
    expiresIn: '5m',
    ...(auth.issuer !== undefined ? { issuer: Array.isArray(auth.issuer) ? auth.issuer[0] : auth.issuer } : {}),
    ...(typeof audience === 'string' ? { audience } : {}),
  };
  return new JwtService().sign(claims, { ...defaults, ...options });
}
