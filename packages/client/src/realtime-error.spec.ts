import { describe, expect, it } from 'vitest';
import { fromConnectError, fromPayload, RealtimeError } from './realtime-error.js';

describe('RealtimeError', () => {
  it('carries the contract payload, its reason and retryAfterMs', () => {
    const error = fromPayload({ status: 'error', code: 'RATE_LIMITED', message: 'slow down', details: { retryAfterMs: 250, reason: 'burst' }, event: 'send', requestId: 'r1' });
    expect(error).toBeInstanceOf(RealtimeError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', message: 'slow down', event: 'send', requestId: 'r1', reason: 'burst', retryAfterMs: 250 });
  });

  it('tells a refused connection from a lost one', () => {
    const refused = fromConnectError(Object.assign(new Error('Token expired'), { data: { code: 'UNAUTHENTICATED', reason: 'expired_token' } }));
    expect(refused).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'expired_token', event: 'connection' });
    expect(fromConnectError(new Error('websocket error'))).toMatchObject({ code: 'DISCONNECTED', reason: undefined });
  });

  it('is recognised by instanceof whichever copy of the package made it', () => {
    // What another copy's error looks like to this one: the same marker, another class.
    const marker = Object.getOwnPropertySymbols(new RealtimeError('X', 'x')).find((s) => s.description === '@nestjs-realtime/client:RealtimeError')!;
    const fromOtherCopy = Object.assign(new Error('elsewhere'), { [marker]: true });
    expect(fromOtherCopy).toBeInstanceOf(RealtimeError);
    expect(new Error('plain')).not.toBeInstanceOf(RealtimeError);
  });
});
