/**
 * Injection token of the validated, defaulted options (`ResolvedRealtimeOptions`).
 * A string rather than a symbol so that two copies of the package in one app still agree on it.
 */
export const REALTIME_OPTIONS = 'REALTIME_OPTIONS';
