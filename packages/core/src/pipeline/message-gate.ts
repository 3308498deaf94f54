import { Inject, Injectable, Logger } from '@nestjs/common';
import { userOf } from '../auth/socket-auth-state.js';
import { deliverError } from '../errors/deliver-error.js';
import { reportError } from '../errors/report-error.js';
import { checkPayloadShape, type PayloadShapeLimits } from '../limits/payload-shape.js';
import { logSafe } from '../logging/log-safe.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import type { ConnectionRateLimit } from '../rate-limit/rate-limiter.js';
import { RealtimeRateLimiting } from '../rate-limit/realtime-rate-limiting.js';
import { refuseRateLimited, type RateLimitedClient } from '../rate-limit/refuse-rate-limited.js';
import { REALTIME_OPTIONS } from '../realtime.constants.js';

/**
 * What every message a client sends passes before anything handles it, on both transports and
 * for the library's own events (`auth:refresh`): the connection's rate limit first (so a flood
 * costs a bucket lookup, and refusals count toward `disconnectAfter`), then the payload's shape
 * (`limits.maxPayloadDepth` / `maxPayloadNodes`). A refused message is answered with the error
 * contract, through the ack when there is one.
 */
@Injectable()
export class MessageGate {
  private readonly logger = new Logger('RealtimeMessages');
  private readonly shape: PayloadShapeLimits;
  // One rate limit per connection, made at its first message (null: nothing is limited).
  private readonly rateLimits = new WeakMap<object, ConnectionRateLimit | null>();

  constructor(
    @Inject(REALTIME_OPTIONS) options: ResolvedRealtimeOptions,
    private readonly rateLimiting: RealtimeRateLimiting,
  ) {
    this.shape = options.limits;
  }

  /**
   * Runs `handle` once the message is admitted.
   * @param scope the connection's namespace, or a native gateway's path (where `@RateLimit()` budgets are looked up)
   * @param event the event name; `undefined` for a frame too malformed to name one (it draws on the connection's budget)
   */
  admit(client: RateLimitedClient, scope: string, event: string | undefined, data: unknown, ack: unknown, handle: () => void): void {
    const rateLimit = this.rateLimitOf(client, scope);
    if (!rateLimit) return this.checkShape(client, event, data, ack, handle);
    const user = userOf(client);
    const wait = rateLimit.admit(event, user === undefined ? undefined : String(user.id));
    if (typeof wait === 'number') return this.afterRateLimit(wait, rateLimit, client, event, data, ack, handle);
    wait.then(
      (ms) => {
        // In a promise reaction a throw would be an unhandled rejection.
        try {
          this.afterRateLimit(ms, rateLimit, client, event, data, ack, handle);
        } catch (error) {
          this.logFailure(event, error);
        }
      },
      (error: unknown) => this.logFailure(event, error),
    );
  }

  private afterRateLimit(
    wait: number,
    rateLimit: ConnectionRateLimit,
    client: RateLimitedClient,
    event: string | undefined,
    data: unknown,
    ack: unknown,
    handle: () => void,
  ): void {
    if (wait === 0) return this.checkShape(client, event, data, ack, handle);
    try {
      refuseRateLimited(client, event ?? 'message', ack, wait, rateLimit.mustDisconnect);
    } catch (error) {
      // The client is gone or its ack threw: nothing left to tell it.
      this.logFailure(event, error);
    }
  }

  private checkShape(client: RateLimitedClient, event: string | undefined, data: unknown, ack: unknown, handle: () => void): void {
    const refusal = checkPayloadShape(data, this.shape);
    if (!refusal) return handle();
    deliverError(client, reportError(refusal, event ?? 'message', client.id), ack);
  }

  private rateLimitOf(client: object, scope: string): ConnectionRateLimit | undefined {
    let rateLimit = this.rateLimits.get(client);
    if (rateLimit === undefined) {
      rateLimit = this.rateLimiting.forConnection(scope) ?? null;
      this.rateLimits.set(client, rateLimit);
    }
    return rateLimit ?? undefined;
  }

  private logFailure(event: string | undefined, error: unknown): void {
    try {
      this.logger.error(`Admitting "${logSafe(event ?? 'message')}" failed: ${logSafe((error as Error)?.message ?? error, 500)}`, (error as Error)?.stack);
    } catch {
      // A logger that throws leaves nowhere to report to.
    }
  }
}
