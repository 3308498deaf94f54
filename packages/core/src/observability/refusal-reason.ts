import { TOO_MANY_CONNECTIONS, type AuthFailureReason } from '../protocol/index.js';

// The library's own reasons: a reason from anywhere else (an app's `validate()`) is not recorded,
// so the attribute stays bounded.
const KNOWN_REASONS: ReadonlySet<string> = new Set([
  ...(['missing_token', 'invalid_token', 'expired_token'] satisfies AuthFailureReason[]),
  TOO_MANY_CONNECTIONS,
]);

/** What telemetry reads of a handshake refusal (the handshake's `HandshakeRefusal`, which imports nothing from here). */
export interface RefusalLike {
  code: string;
  message: string;
  reason?: string;
}

/** The refusal's reason when it is one of the library's, for the `realtime.reason` attribute. */
export function refusalReasonOf(refusal: RefusalLike): string | undefined {
  return refusal.reason !== undefined && KNOWN_REASONS.has(refusal.reason) ? refusal.reason : undefined;
}
