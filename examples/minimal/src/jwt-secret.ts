/**
 * The HMAC secret that signs and verifies the app's tokens, from JWT_SECRET. There is no default:
 * a secret committed with the code is no secret, and instances behind one load balancer must share
 * theirs. RealtimeModule refuses one shorter than 32 bytes.
 */
export function jwtSecret(): string {
  const secret = process.env.JWT_SECRET;
  if (!secret) {
    throw new Error('JWT_SECRET is not set: start the app with a secret of at least 32 bytes, e.g. JWT_SECRET=$(openssl rand -hex 32)');
  }
  return secret;
}
