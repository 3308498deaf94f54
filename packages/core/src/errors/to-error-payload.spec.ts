import { BadRequestException, HttpException, ImATeapotException, ServiceUnavailableException } from '@nestjs/common';
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
    expect(map(new BadRequestException(['a is bad', 'b is bad']))).toMatchObject({
      code: 'BAD_REQUEST', message: 'Validation failed', details: { messages: ['a is bad', 'b is bad'] },
    });
  });

  it('never carries anything of an unknown error', () => {
    for (const thrown of [new Error('secret'), 'secret', { message: 'secret' }, null, undefined, 42]) {
      const payload = map(thrown);
      expect(payload).toEqual({ status: 'error', code: 'INTERNAL', message: 'Internal server error', event: 'evt', requestId: 'rid' });
    }
  });
});
