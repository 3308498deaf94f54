import { RealtimeError } from './realtime-error.js';

/**
 * Sends a request and, while the server refuses it with `RATE_LIMITED` and says when to come
 * back (`retryAfterMs`), sends it again then, at most `retries` times. Every other failure, and
 * the last refusal, is the caller's.
 */
export async function retryRateLimited<T>(send: () => Promise<T>, retries: number, sleep: (ms: number) => Promise<void>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const wait = error instanceof RealtimeError && error.code === 'RATE_LIMITED' ? error.retryAfterMs : undefined;
      if (wait === undefined || attempt >= retries) throw error;
      await sleep(wait);
    }
  }
}
