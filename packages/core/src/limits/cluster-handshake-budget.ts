import { createHash } from 'node:crypto';
import type { RateLimitBudget } from '../options/rate-limit-options.interface.js';
import { evalScript, isClientReady, type AnyRedisClient } from '../redis/redis-client.js';
import { RedisOutageLog } from '../redis/redis-outage-log.js';

/**
 * `TokenBucket` in Redis, checked and taken in one atomic step so two instances never both take
 * the last token. KEYS: the bucket (a hash: tokens, at). ARGV: points, durationMs. Returns 1 when
 * a token was taken. The time is Redis', one clock for every instance; the bucket expires once it
 * would be full again (a full bucket is the same as none).
 */
const TAKE_HANDSHAKE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local points, duration = tonumber(ARGV[1]), tonumber(ARGV[2])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or points
local at = tonumber(bucket[2]) or now
tokens = math.min(points, tokens + math.max(0, now - at) * points / duration)
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((points - tokens) * duration / points))
return taken
`;

/**
 * `limits.handshakesPerIp` across every instance (`handshakeLimitScope: 'cluster'`): one token
 * bucket per client address in Redis. Its key holds a hash of the address, never the address: a
 * client-controlled string (behind `trustProxy`, a forwarded header) stays out of Redis keys, and
 * so out of anything that lists them. Keys carry no hash tag: the script touches one key, and
 * spreading the addresses over the slots spreads a reconnect storm over the shards.
 */
export class ClusterHandshakeBudget {
  private readonly outage = RedisOutageLog.forContext('RealtimeLimits', {
    whileDown: 'handshakes per IP are limited per instance until it is back.',
    back: 'handshakes per IP are limited across instances again.',
  });

  constructor(
    private readonly client: AnyRedisClient,
    private readonly keyPrefix: string,
    private readonly budget: RateLimitBudget,
  ) {}

  /**
   * Takes a token from the address's bucket: whether the handshake may go on, or `undefined` when
   * Redis did not answer (the caller counts on this instance instead: refusing every client
   * because Redis blinked would be an outage of its own).
   */
  async take(ip: string): Promise<boolean | undefined> {
    try {
      // A disconnected client would queue the command, holding the handshake until Redis is back.
      if (!isClientReady(this.client)) throw new Error('not connected');
      const taken = await evalScript(this.client, TAKE_HANDSHAKE_SCRIPT, [this.keyOf(ip)], [String(this.budget.points), String(this.budget.durationMs)]);
      this.outage.answered();
      return Number(taken) === 1;
    } catch (error) {
      this.outage.failed(error);
      return undefined;
    }
  }

  private keyOf(ip: string): string {
    return `${this.keyPrefix}:handshakes:${createHash('sha256').update(ip).digest('base64url')}`;
  }
}
