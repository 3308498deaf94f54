/**
 * `ms` spread over half to one and a half times itself (`random()` from 0 to 1), so clients told
 * the same thing at the same moment (a deploy, a dropped network) do not all come back at once.
 */
export function jittered(ms: number, random: () => number): number {
  return ms * (0.5 + random());
}

/**
 * The wait before reconnect attempt `attempt` (0 for the first after a success): doubling from
 * `minMs`, jittered, never above `maxMs`.
 */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  return Math.min(maxMs, jittered(Math.min(maxMs, minMs * 2 ** attempt), random));
}
