import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { RealtimeException } from './realtime.exception.js';

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
  constructor(options: ValidationPipeOptions = {}) {
    super({ transform: true, whitelist: true, forbidNonWhitelisted: true, ...options });
    if (!options.exceptionFactory) {
      this.exceptionFactory = (errors: FieldError[]) =>
        new RealtimeException(
          'BAD_REQUEST',
          'Validation failed',
          this.isDetailedOutputDisabled ? undefined : validationErrorDetails(errors),
        );
    }
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
