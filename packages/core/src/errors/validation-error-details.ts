import { validationMessagePath } from './validation-message-path.js';

/** `details` of a validation failure: messages per field path, and all messages in order. */
export interface ValidationErrorDetails {
  fields: Record<string, string[]>;
  messages: string[];
}

/** The parts of class-validator's `ValidationError` a failure is described from. */
export interface FieldError {
  property: string;
  constraints?: Record<string, string>;
  children?: FieldError[];
}

/** The message Nest's grouped format adds when `maxErrorMessagesLength` cut the list short. */
const OMITTED_ERRORS_KEY = '...';

/** The message of a validation failure, whichever pipe found it. */
export const VALIDATION_FAILED_MESSAGE = 'Validation failed';

/**
 * Collects messages in order, each under its field when it has one. Paths can be the client's
 * keys (the whitelist's `property x should not exist`): a Map holds `__proto__` or `constructor`
 * as plain keys, and `Object.fromEntries` defines them as own properties.
 */
class DetailsBuilder {
  private readonly fields = new Map<string, string[]>();
  private readonly messages: string[] = [];

  add(path: string | undefined, message: string): void {
    this.messages.push(message);
    if (path === undefined) return;
    const list = this.fields.get(path);
    if (list) list.push(message);
    else this.fields.set(path, [message]);
  }

  build(): ValidationErrorDetails {
    return { fields: Object.fromEntries(this.fields), messages: this.messages };
  }
}

/** From class-validator's errors, whose tree gives every message its exact path. */
export function detailsOfFieldErrors(errors: readonly FieldError[]): ValidationErrorDetails {
  const details = new DetailsBuilder();
  // Iterative, depth-first in class-validator's order: the payload decides how deep errors go.
  const pending: [error: FieldError, parent: string][] = errors.map((error) => [error, '']);
  pending.reverse();
  while (pending.length > 0) {
    const [error, parent] = pending.pop()!;
    const path = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) details.add(path, message);
    const children = error.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) pending.push([children[i]!, path]);
  }
  return details.build();
}

/**
 * Whether `value` is class-validator's list of errors, as a `ValidationPipe` whose
 * `exceptionFactory` wraps them in a `WsException` throws it (the recipe of Nest's WebSocket docs).
 */
export function isFieldErrorList(value: unknown): value is FieldError[] {
  return Array.isArray(value) && value.length > 0 && value.every(isFieldError);
}

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== 'object' || value === null) return false;
  const { property, constraints, children } = value as Partial<Record<keyof FieldError, unknown>>;
  return (
    typeof property === 'string' &&
    (constraints === undefined || (typeof constraints === 'object' && constraints !== null)) &&
    (children === undefined || Array.isArray(children))
  );
}

/**
 * From the `message` of the `BadRequestException` Nest's `ValidationPipe` throws, if it is one:
 * its list format (`['author.name must be a string', …]`, each message filed under the path it
 * begins with, see `validationMessagePath`), or its grouped format (`{ 'author.name': ['…'] }`).
 */
export function detailsOfValidationMessage(message: unknown): ValidationErrorDetails | undefined {
  if (Array.isArray(message)) {
    const details = new DetailsBuilder();
    for (const item of message) {
      const text = String(item);
      details.add(validationMessagePath(text), text);
    }
    return details.build();
  }
  if (!isGrouped(message) || Object.keys(message).length === 0) return undefined;
  const details = new DetailsBuilder();
  for (const [path, messages] of Object.entries(message)) {
    for (const text of messages) details.add(path === OMITTED_ERRORS_KEY ? undefined : path, text);
  }
  return details.build();
}

/**
 * The details of a validation failure from the body of the HTTP exception a validation pipe
 * threw: the body's own `details` when `RealtimeValidationPipe` put them there, else what Nest's
 * `ValidationPipe` put in `message`. `undefined` for any other body.
 */
export function validationDetailsOfBody(body: object): ValidationErrorDetails | undefined {
  const { message, details } = body as { message?: unknown; details?: unknown };
  const recovered = detailsOfValidationMessage(message);
  if (!recovered) return undefined;
  return isValidationErrorDetails(details) ? details : recovered;
}

/** Whether `value` has the shape of `ValidationErrorDetails` (as a pipe put it in an HTTP body). */
export function isValidationErrorDetails(value: unknown): value is ValidationErrorDetails {
  if (typeof value !== 'object' || value === null) return false;
  const { fields, messages } = value as Partial<ValidationErrorDetails>;
  return isStringList(messages) && isGrouped(fields);
}

function isGrouped(value: unknown): value is Record<string, string[]> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(isStringList);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
