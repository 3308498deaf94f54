/**
 * Type tests, checked by `pnpm typecheck`: each `@ts-expect-error` must stay an error, or the
 * build fails; the rest must compile.
 */
import { expectTypeOf } from 'vitest';
import { RealtimeClient, type PresenceUser, type RealtimeError } from '../../src/index.js';
import type { ChatContract } from '../support/chat.contract.js';

declare const chat: RealtimeClient<ChatContract>;

// Requests: the payload and the result come from the contract.
expectTypeOf(chat.request('message', { text: 'hi' })).resolves.toEqualTypeOf<{ status: 'ok'; at: string }>();
expectTypeOf(chat.request('scarce')).resolves.toEqualTypeOf<string>();
// @ts-expect-error the payload is { text: string }
void chat.request('message', { text: 42 });
// @ts-expect-error a payload is required
void chat.request('message');
// @ts-expect-error no such request
void chat.request('mesage', { text: 'hi' });
// @ts-expect-error an event the server emits is not a request
chat.emit('joinRoom', { room: 'x' });
// A handler that returns nothing sends no ack: emit it, never request it.
chat.emit('testDrop');
// @ts-expect-error testDrop's result is void: a request could only time out
void chat.request('testDrop');

// Events: the contract's, and the protocol's, typed.
chat.on('message', (payload) => expectTypeOf(payload).toEqualTypeOf<{ from: string; text: string; at: string }>());
chat.on('presence:join', ({ user }) => expectTypeOf(user).toEqualTypeOf<PresenceUser>());
chat.on('auth:expiring', ({ expiresAt }) => expectTypeOf(expiresAt).toEqualTypeOf<number>());
chat.on('exception', ({ code, requestId }) => {
  expectTypeOf(code).toMatchTypeOf<string>();
  expectTypeOf(requestId).toEqualTypeOf<string>();
});
// @ts-expect-error no such event
chat.on('mesage', () => undefined);
// @ts-expect-error the payload has no "body"
chat.on('message', ({ body }) => body);

// Errors and status.
chat.onError((error) => expectTypeOf(error).toEqualTypeOf<RealtimeError>());
expectTypeOf(chat.status.getSnapshot()).toEqualTypeOf<'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused'>();

// Without a contract, anything goes.
declare const loose: RealtimeClient;
void loose.request('anything', { at: 'all' });
loose.on('whatever', (payload) => expectTypeOf(payload).toBeAny());
