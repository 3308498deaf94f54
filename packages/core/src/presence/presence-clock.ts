/**
 * The time the Redis presence store runs on: the wall clock for heartbeat scores and ages, and
 * timers for the heartbeat. Injectable so a test can step heartbeats and instance deaths one by
 * one instead of sleeping through `ttlMs`.
 */
export interface PresenceClock {
  /** Milliseconds since the epoch; every instance sharing a Redis must agree on it. */
  now(): number;
  /** Runs `callback` once after `ms`; returns what cancels it. Must not keep the process alive. */
  schedule(callback: () => void, ms: number): () => void;
}

/** `Date.now()` and unref'd `setTimeout`: the clock of a running app. */
export const systemPresenceClock: PresenceClock = {
  now: () => Date.now(),
  schedule: (callback, ms) => {
    const timer = setTimeout(callback, ms).unref();
    return () => clearTimeout(timer);
  },
};

/**
 * The injection token of the clock `PresenceService` collects diffs on (`systemPresenceClock`);
 * a test overrides it to flush windows by hand.
 */
export const PRESENCE_CLOCK = Symbol('PRESENCE_CLOCK');
