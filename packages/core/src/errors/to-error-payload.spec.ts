import { BadRequestException, HttpException, ImATeapotException, ServiceUnavailableException, UnprocessableEntityException } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { describe, expect, it } from 'vitest';
import { RealtimeException } from './realtime.exception.js';
import { toErrorPayload } from './to-error-payload.js';

const map = (exception: unknown) => toErrorPayload(exception, 'evt', 'rid');

describe('toErrorPayload', () => {
  it('keeps code, message and details of a RealtimeException, and omits absent details', () => {
    expect(map(new RealtimeException('ROOM_FULL', 'Full', { n: 1 }))).toEqual({
      status: 'error', code: 'ROOM_FULL', message: 'Full', details: { n: 1 }, event: 'evt', requestId: 'rid',
    });
    expect(map(new RealtimeException('NOT_FOUND', 'Gone'))).not.toHaveProperty('details');
  });

  it('maps WsException objects without a code to BAD_REQUEST with a default message', () => {
    expect(map(new WsException({ details: { a: 1 } }))).toMatchObject({ code: 'BAD_REQUEST', message: 'Bad request', details: { a: 1 } });
    expect(map(new WsException({ code: 'FORBIDDEN' }))).toMatchObject({ code: 'FORBIDDEN', message: 'Forbidden' });
  });

  it('maps HTTP statuses, with other 4xx as BAD_REQUEST and 5xx as INTERNAL', () => {
    expect(map(new ImATeapotException('short and stout'))).toMatchObject({ code: 'BAD_REQUEST', message: 'short and stout' });
    expect(map(new ServiceUnavailableException('redis at 10.1.2.3 down'))).toMatchObject({ code: 'INTERNAL', message: 'Internal server error' });
    expect(map(new HttpException({ reason: 'no message' }, 404))).toMatchObject({ code: 'NOT_FOUND', message: 'Not found' });
    expect(map(new HttpException(null as unknown as string, 400))).toMatchObject({ code: 'BAD_REQUEST', message: 'Bad request' });
  });

  it('maps a validation pipe\'s failure to BAD_REQUEST with the messages per field, whatever the status', () => {
    const expected = { code: 'BAD_REQUEST', message: 'Validation failed', details: { fields: { 'author.name': ['author.name must be a string'] }, messages: ['author.name must be a string', 'Say something'] } };
    // Nest's ValidationPipe: list format, grouped format, another status.
    expect(map(new BadRequestException(['author.name must be a string', 'Say something']))).toMatchObject(expected);
    expect(map(new BadRequestException({ message: { 'author.name': ['name must be a string'] }, error: 'Bad Request', statusCode: 400 }))).toMatchObject({
      code: 'BAD_REQUEST', message: 'Validation failed', details: { fields: { 'author.name': ['name must be a string'] }, messages: ['name must be a string'] },
    });
    expect(map(new UnprocessableEntityException(['author.name must be a string', 'Say something']))).toMatchObject(expected);
    // RealtimeValidationPipe: the body's own details.
    const details = { fields: { 'author.name': ['name must be a string'] }, messages: ['name must be a string'] };
    expect(map(new BadRequestException({ message: details.messages, error: 'Bad Request', statusCode: 400, details }))).toEqual({
      status: 'error', code: 'BAD_REQUEST', message: 'Validation failed', details, event: 'evt', requestId: 'rid',
    });
  });

  it('never carries anything of an unknown error', () => {
    for (const thrown of [new Error('secret'), 'secret', { message: 'secret' }, null, undefined, 42]) {
      const payload = map(thrown);
      expect(payload).toEqual({ status: 'error', code: 'INTERNAL', message: 'Internal server error', event: 'evt', requestId: 'rid' });
    }
  });
});
