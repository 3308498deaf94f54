import { STATUS_CODES } from 'node:http';
import { BadRequestException, HttpException, HttpStatus, PayloadTooLargeException } from '@nestjs/common';
import type { RealtimeErrorCode } from '../protocol/index.js';
import type { RealtimeException } from './realtime.exception.js';

/** The contract's code for an HTTP status; other 4xx are `BAD_REQUEST`, 5xx `INTERNAL`. */
export const CODE_BY_HTTP_STATUS: Partial<Record<number, RealtimeErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'BAD_REQUEST',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHENTICATED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.TOO_MANY_REQUESTS]: 'RATE_LIMITED',
};

/**
 * An exception that answers HTTP with `status` and Nest's usual body (`{ message, error,
 * statusCode }`) plus the contract's `details`, and reaches a socket client as the contract
 * (see `toErrorPayload`): what a pipe that serves both throws. 400 and 413 are Nest's own classes,
 * so that an app's filters for them catch it.
 */
export function httpRefusal(status: number, message: string | string[], details?: unknown): HttpException {
  const body = { message, error: STATUS_CODES[status], statusCode: status, ...(details === undefined ? {} : { details }) };
  if (status === HttpStatus.BAD_REQUEST) return new BadRequestException(body);
  if (status === HttpStatus.PAYLOAD_TOO_LARGE) return new PayloadTooLargeException(body);
  return new HttpException(body, status);
}

/** A contract error (e.g. a payload-shape refusal) for an HTTP request: the status of its code. */
export function toHttpRefusal(exception: RealtimeException): HttpException {
  const status = Object.entries(CODE_BY_HTTP_STATUS).find(([, code]) => code === exception.code)?.[0];
  return httpRefusal(status === undefined ? HttpStatus.BAD_REQUEST : Number(status), exception.message, exception.details);
}
