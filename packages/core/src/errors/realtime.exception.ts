import { WsException } from '@nestjs/websockets';
import { type RealtimeErrorCode } from '../protocol/index.js';

/**
 * An error that reaches the client as-is through the error contract: its `code`, `message` and
 * `details`. Throw it from handlers, guards and pipes; the library throws it for its own errors.
 *
 * @example throw new RealtimeException('NOT_FOUND', 'No such room', { room });
 */
export class RealtimeException extends WsException {
  constructor(
    /** The contract code, e.g. `'FORBIDDEN'`, or an application's own code. */
    readonly code: RealtimeErrorCode,
    message: string,
    /** Anything JSON-serializable that helps the client act on the error. */
    readonly details?: unknown,
  ) {
    super({ code, message, ...(details === undefined ? {} : { details }) });
    this.message = message;
    this.name = 'RealtimeException';
  }
}
