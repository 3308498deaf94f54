import { ValidationPipe, type ArgumentMetadata, type ValidationPipeOptions } from '@nestjs/common';
import { httpRefusal, toHttpRefusal } from '../errors/http-refusal.js';
import { detailsOfFieldErrors, VALIDATION_FAILED_MESSAGE, type FieldError } from '../errors/validation-error-details.js';
import { checkPayloadShape, DEFAULT_PAYLOAD_SHAPE_LIMITS, type PayloadShapeLimits } from '../limits/payload-shape.js';

/** Options of `RealtimeValidationPipe`: Nest's `ValidationPipe` options, and the shape a body may have. */
export interface RealtimeValidationPipeOptions extends ValidationPipeOptions {
  /**
   * How deeply an HTTP body may nest before it is refused (HTTP 400, `details.reason: 'too_deep'`)
   * without reaching class-transformer, whose cost grows with depth. Socket messages are checked
   * before any pipe, against the module's `limits.maxPayloadDepth`.
   * @default 32
   */
  maxPayloadDepth?: number;
  /**
   * How many values an HTTP body may hold before it is refused (HTTP 413, `details.reason: 'too_many_nodes'`).
   * Socket messages are checked before any pipe, against the module's `limits.maxPayloadNodes`.
   * @default 10000
   */
  maxPayloadNodes?: number;
}

/**
 * `ValidationPipe` for gateways and HTTP alike, as a global pipe or on a gateway, controller or
 * handler: bodies are transformed to their DTO class, unknown properties are refused, and a
 * failure carries the messages per field path. An HTTP client gets 400 with Nest's usual body
 * plus `details` (`{ message: ['…'], error: 'Bad Request', statusCode: 400, details }`); a socket
 * client gets the contract's `BAD_REQUEST` with the same `details`
 * (`{ fields: { 'author.name': ['…'] }, messages: ['…'] }`). Needs `class-validator` and
 * `class-transformer`.
 *
 * @example app.useGlobalPipes(new RealtimeValidationPipe()), or @UsePipes(new RealtimeValidationPipe())
 * @default options `{ transform: true, whitelist: true, forbidNonWhitelisted: true }`
 */
export class RealtimeValidationPipe extends ValidationPipe {
  private readonly shape: PayloadShapeLimits;

  constructor({ maxPayloadDepth, maxPayloadNodes, ...options }: RealtimeValidationPipeOptions = {}) {
    super({ transform: true, whitelist: true, forbidNonWhitelisted: true, ...options });
    this.shape = {
      maxPayloadDepth: maxPayloadDepth ?? DEFAULT_PAYLOAD_SHAPE_LIMITS.maxPayloadDepth,
      maxPayloadNodes: maxPayloadNodes ?? DEFAULT_PAYLOAD_SHAPE_LIMITS.maxPayloadNodes,
    };
    if (!options.exceptionFactory) {
      this.exceptionFactory = (errors: FieldError[]) => {
        if (this.isDetailedOutputDisabled) return httpRefusal(this.errorHttpStatusCode, VALIDATION_FAILED_MESSAGE);
        const details = detailsOfFieldErrors(errors);
        return httpRefusal(this.errorHttpStatusCode, details.messages, details);
      };
    }
  }

  /**
   * An HTTP body is checked for shape first. Socket messages never get here unchecked: the
   * message gate checks them before any pipe (and Nest gives their parameters a numeric type).
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const refusal = metadata.type === 'body' ? checkPayloadShape(value, this.shape) : undefined;
    if (refusal) throw toHttpRefusal(refusal);
    return super.transform(value, metadata);
  }
}
