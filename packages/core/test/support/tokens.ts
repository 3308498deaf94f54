import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { JwtService, type JwtSignOptions } from '@nestjs/jwt';

export const SECRET = 'test-secret-that-is-long-enough-for-hs256!!';

const jwt = new JwtService();

/** Signs claims with the test HMAC secret (HS256 unless told otherwise). */
export function sign(claims: Record<string, unknown>, options: JwtSignOptions = {}): string {
  return jwt.sign(claims, { secret: SECRET, ...options });
}

/** A token with `alg: none` and no signature, as an attacker would craft it. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

export interface RsaKey {
  kid: string;
  privateKey: KeyObject;
  publicKeyPem: string;
  sign(claims: Record<string, unknown>, options?: JwtSignOptions): string;
}

export function rsaKey(kid: string): RsaKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (claims, options = {}) =>
      jwt.sign(claims, { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: 'RS256', keyid: kid, ...options }),
  };
}

/** A local JWKS endpoint whose key set the test can rotate; counts the fetches it served. */
export class JwksServer {
  private server?: Server;
  keys: RsaKey[] = [];
  fetches = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((_req, res) => {
      this.fetches++;
      const keys = this.keys.map((key) => ({
        ...key.privateKey.export({ format: 'jwk' }),
        d: undefined, p: undefined, q: undefined, dp: undefined, dq: undefined, qi: undefined,
        kid: key.kid,
        use: 'sig',
        alg: 'RS256',
      }));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/.well-known/jwks.json`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
