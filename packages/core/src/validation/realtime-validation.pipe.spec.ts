import { HttpException } from '@nestjs/common';
import { IsString } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { toErrorPayload } from '../errors/to-error-payload.js';
import { RealtimeValidationPipe } from './realtime-validation.pipe.js';

class NameDto {
  @IsString()
  name!: string;
}

/** What the pipe throws for `value` as an HTTP body. */
async function refusalOf(pipe: RealtimeValidationPipe, value: unknown): Promise<HttpException> {
  const thrown = await pipe.transform(value, { type: 'body', metatype: NameDto }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(HttpException);
  return thrown as HttpException;
}

describe('RealtimeValidationPipe options', () => {
  it('answers with errorHttpStatusCode on HTTP, and BAD_REQUEST with the fields on sockets', async () => {
    const refusal = await refusalOf(new RealtimeValidationPipe({ errorHttpStatusCode: 422 }), { name: 1 });
    const details = { fields: { name: ['name must be a string'] }, messages: ['name must be a string'] };
    expect(refusal.getStatus()).toBe(422);
    expect(refusal.getResponse()).toEqual({ message: ['name must be a string'], error: 'Unprocessable Entity', statusCode: 422, details });
    expect(toErrorPayload(refusal, 'save', 'rid')).toMatchObject({ code: 'BAD_REQUEST', message: 'Validation failed', details });
  });

  it('sends no messages with disableErrorMessages, on HTTP or sockets', async () => {
    const refusal = await refusalOf(new RealtimeValidationPipe({ disableErrorMessages: true }), { name: 1 });
    expect(refusal.getStatus()).toBe(400);
    expect(refusal.getResponse()).toEqual({ message: 'Validation failed', error: 'Bad Request', statusCode: 400 });
    expect(toErrorPayload(refusal, 'save', 'rid')).toEqual({ status: 'error', code: 'BAD_REQUEST', message: 'Validation failed', event: 'save', requestId: 'rid' });
  });
});
