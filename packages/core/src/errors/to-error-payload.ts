import { HttpException } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { CODE_BY_HTTP_STATUS } from './http-refusal.js';
import { RealtimeException } from './realtime.exception.js';
import { detailsOfFieldErrors, isFieldErrorList, VALIDATION_FAILED_MESSAGE, validationDetailsOfBody } from './validation-error-details.js';
import { type RealtimeErrorCode, errorPayload, type RealtimeErrorPayload } from '../protocol/index.js';

/** Nest's message when a guard returns false. */
const GUARD_DENIED_MESSAGE = 'Forbidden resource';
export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

const DEFAULT_MESSAGES: Partial<Record<RealtimeErrorCode, string>> = {
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Forbidden',
  BAD_REQUEST: 'Bad request',
  NOT_FOUND: 'Not found',
  RATE_LIMITED: 'Too many requests',
  PAYLOAD_TOO_LARGE: 'Payload too large',
};

/**
 * Maps anything a handler, guard, pipe or interceptor threw to the error contract. Unknown
 * errors become `INTERNAL` with a generic message: their text may hold internals.
 */
export function toErrorPayload(exception: unknown, event: string, requestId: string): RealtimeErrorPayload {
  const { code, message, details } = describe(exception);
  return errorPayload(code, message, event, details, requestId);
}

interface Described {
  code: RealtimeErrorCode;
  message: string;
  details?: unknown;
}

function describe(exception: unknown): Described {
  if (exception instanceof RealtimeException) {
    return { code: exception.code, message: exception.message, details: exception.details };
  }
  if (exception instanceof WsException) return describeWsException(exception.getError());
  if (exception instanceof HttpException) return describeHttpException(exception);
  return { code: 'INTERNAL', message: INTERNAL_ERROR_MESSAGE };
}

function describeWsException(error: string | object): Described {
  if (typeof error === 'string') {
    return error === GUARD_DENIED_MESSAGE ? { code: 'FORBIDDEN', message: 'Forbidden' } : { code: 'BAD_REQUEST', message: error };
  }
  // Nest's WebSocket docs build their validation pipe with `exceptionFactory: (errors) => new WsException(errors)`.
  if (isFieldErrorList(error)) return { code: 'BAD_REQUEST', message: VALIDATION_FAILED_MESSAGE, details: detailsOfFieldErrors(error) };
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  const resolvedCode = typeof code === 'string' && code !== '' ? code : 'BAD_REQUEST';
  return {
    code: resolvedCode,
    message: typeof message === 'string' ? message : (DEFAULT_MESSAGES[resolvedCode] ?? 'Error'),
    details,
  };
}

function describeHttpException(exception: HttpException): Described {
  const status = exception.getStatus();
  if (status >= 500) return { code: 'INTERNAL', message: INTERNAL_ERROR_MESSAGE };
  const code = CODE_BY_HTTP_STATUS[status] ?? 'BAD_REQUEST';
  const response = exception.getResponse();
  if (typeof response === 'string') return { code, message: response };
  // `new HttpException(null, 400)` is allowed.
  const body: object = response ?? {};
  // A validation pipe's failure (Nest's or ours), wherever the app put the pipe: its messages per field.
  const validation = validationDetailsOfBody(body);
  if (validation) return { code, message: VALIDATION_FAILED_MESSAGE, details: validation };
  const { message } = body as { message?: unknown };
  return { code, message: typeof message === 'string' ? message : (DEFAULT_MESSAGES[code] ?? exception.message) };
}
