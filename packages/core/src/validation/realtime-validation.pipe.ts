import { ValidationPipe, type ArgumentMetadata, type ValidationPipeOptions } from '@nestjs/common';
import { checkPayloadShape, DEFAULT_PAYLOAD_SHAPE_LIMITS, type PayloadShapeLimits } from '../limits/payload-shape.js';
import { RealtimeException } from '../errors/realtime.exception.js';

/** Options of `RealtimeValidationPipe`: Nest's `ValidationPipe` options, and the shape a body may have. */
export interface RealtimeValidationPipeOptions extends ValidationPipeOptions {
  /**
   * How deeply a body may nest before it is refused (`BAD_REQUEST`, `details.reason: 'too_deep'`)
   * without reaching class-transformer, whose cost grows with depth.
   * @default 32
   */
  maxPayloadDepth?: number;
  /**
   * How many values a body may hold before it is refused (`PAYLOAD_TOO_LARGE`, `details.reason: 'too_many_nodes'`).
   * @default 10000
   */
  maxPayloadNodes?: number;
}

interface FieldError {
  property: string;
  constraints?: Record<string, string>;
  children?: FieldError[];
}

/** `details` of a validation failure: messages per field path, and all messages in order. */
export interface ValidationErrorDetails {
  fields: Record<string, string[]>;
  messages: string[];
}

/**
 * `ValidationPipe` for gateways: message bodies are transformed to their DTO class, unknown
 * properties are refused, and failures reach the client as `BAD_REQUEST` with the field messages
 * in `details` (`{ fields: { 'address.city': ['…'] }, messages: ['…'] }`) instead of Nest's
 * "Internal server error". Needs `class-validator` and `class-transformer`.
 *
 * @example @UsePipes(new RealtimeValidationPipe()) on a gateway or handler
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
      this.exceptionFactory = (errors: FieldError[]) =>
        new RealtimeException(
          'BAD_REQUEST',
          'Validation failed',
          this.isDetailedOutputDisabled ? undefined : validationErrorDetails(errors),
        );
    }
  }

  /**
   * A message body (or an HTTP body) is checked for shape first. The gateways' message gate
   * checks the same before any pipe; this covers HTTP and gates with higher limits.
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const refusal = metadata.type === 'body' ? checkPayloadShape(value, this.shape) : undefined;
    if (refusal) throw refusal;
    return super.transform(value, metadata);
  }
}

export function validationErrorDetails(errors: FieldError[]): ValidationErrorDetails {
  const fields: Record<string, string[]> = {};
  const collect = (list: FieldError[], parent: string) => {
    for (const error of list) {
      const path = parent ? `${parent}.${error.property}` : error.property;
      const messages = Object.values(error.constraints ?? {});
      if (messages.length > 0) fields[path] = [...(fields[path] ?? []), ...messages];
      if (error.children?.length) collect(error.children, path);
    }
  };
  collect(errors, '');
  return { fields, messages: Object.values(fields).flat() };
}
