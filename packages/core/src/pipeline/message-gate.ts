import { Inject, Injectable } from '@nestjs/common';
import type { RealtimeConnection } from '../connection/realtime-connection.js';
import { deliverError } from '../errors/deliver-error.js';
import { reportError } from '../errors/report-error.js';
import { checkPayloadShape, type PayloadShapeLimits } from '../limits/payload-shape.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { RealtimeRateLimiting } from '../rate-limit/realtime-rate-limiting.js';
import { refuseRateLimited } from '../rate-limit/refuse-rate-limited.js';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';

/**
 * What every message a client sends passes before anything handles it, on both transports and
 * for the library's own events (`auth:refresh`): the connection's rate limit first (so a flood
 * costs a bucket lookup, and refusals count toward `disconnectAfter`), then the payload's shape
 * (`limits.maxPayloadDepth` / `maxPayloadNodes`). A refused message is answered with the error
 * contract, through the ack when there is one.
 */
@Injectable()
export class MessageGate {
  private readonly shape: PayloadShapeLimits;

  constructor(
    @Inject(REALTIME_OPTIONS) options: ResolvedRealtimeOptions,
    private readonly rateLimiting: RealtimeRateLimiting,
  ) {
    this.shape = options.limits;
  }

  /**
   * Runs `handle` once the message is admitted; resolves when it ran or the message was refused.
   * @param event the event name; `undefined` for a frame too malformed to name one (it draws on the connection's budget)
   */
  admit(connection: RealtimeConnection, event: string | undefined, data: unknown, ack: unknown, handle: () => void): void | Promise<void> {
    const budget = this.budgetOf(connection);
    if (!budget) return this.checkShape(connection, event, data, ack, handle);
    const user = connection.user;
    const wait = budget.admit(event, user === undefined ? undefined : String(user.id));
    if (typeof wait === 'number') return this.afterRateLimit(wait, connection, event, data, ack, handle);
    return wait.then((ms) => this.afterRateLimit(ms, connection, event, data, ack, handle));
  }

  private afterRateLimit(wait: number, connection: RealtimeConnection, event: string | undefined, data: unknown, ack: unknown, handle: () => void): void {
    if (wait === 0) return this.checkShape(connection, event, data, ack, handle);
    refuseRateLimited(connection, event ?? 'message', ack, wait, connection.budget!.mustDisconnect);
  }

  private checkShape(connection: RealtimeConnection, event: string | undefined, data: unknown, ack: unknown, handle: () => void): void {
    const refusal = checkPayloadShape(data, this.shape);
    if (!refusal) return handle();
    deliverError(connection, reportError(refusal, event ?? 'message', connection.id), ack);
  }

  private budgetOf(connection: RealtimeConnection) {
    if (connection.budget === undefined) connection.budget = this.rateLimiting.forConnection(connection.scope) ?? null;
    return connection.budget;
  }
}
