import { AUTH_REFRESH } from './protocol.js';
import { RealtimeError } from './realtime-error.js';

/** Supplies the token for each connection and refresh: a string, or a promise of one. */
export type TokenProvider = () => string | null | undefined | Promise<string | null | undefined>;

/**
 * How many times in a row a connection refused for `expired_token` is tried again at once with a
 * fresh token: one covers a token that expired between the provider and the server; more in a
 * row mean the provider's tokens are stale, and the refusal stands.
 */
export const MAX_EXPIRED_RETRIES = 2;

/**
 * The provider's token, or none: a provider that fails is reported (`UNAUTHENTICATED`) and the
 * connection goes on without a token, so the server's refusal says what is missing.
 */
export async function readToken(
  provider: TokenProvider | undefined,
  report: (error: RealtimeError) => void,
  /** What the token is for, named in a failure: `connection` or `auth:refresh`. */
  purpose = 'connection',
): Promise<string | undefined> {
  try {
    // Never in the caller's tick: an `onError` attached right after `new` hears a provider that fails at once.
    await undefined;
    return (await provider?.()) ?? undefined;
  } catch (cause) {
    report(new RealtimeError('UNAUTHENTICATED', `getToken() failed: ${(cause as Error)?.message ?? cause}`, undefined, purpose));
    return undefined;
  }
}

/**
 * Answers `auth:expiring`: a fresh token from the provider, sent as `auth:refresh { token }`.
 * A refusal or a timeout is reported; the server then ends the connection once the old token's
 * grace period is over, and the client reconnects with a new token.
 */
export async function refreshToken(
  provider: TokenProvider | undefined,
  ask: (event: string, payload: { token: string }) => Promise<unknown>,
  report: (error: RealtimeError) => void,
): Promise<void> {
  const token = await readToken(provider, report, AUTH_REFRESH);
  if (!token) return;
  try {
    await ask(AUTH_REFRESH, { token });
  } catch (error) {
    report(error as RealtimeError);
  }
}
