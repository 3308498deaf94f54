/**
 * Type tests of `RealtimeWsClient`, checked by `pnpm typecheck`: each `@ts-expect-error` must stay
 * an error, or the build fails; the rest must compile.
 */
import { expectTypeOf } from 'vitest';
import WebSocket from 'ws';
import { RealtimeWsClient, type RealtimeError } from '../../src/index.js';
import type { ChatContract } from '../support/chat.contract.js';
import type { DeviceContract } from '../support/device.contract.js';

declare const device: RealtimeWsClient<DeviceContract>;

// Requests resolve with the reply frame's data, as the contract declares the frame.
expectTypeOf(device.request('whoami')).resolves.toEqualTypeOf<{ id: string }>();
expectTypeOf(device.request('scarce')).resolves.toEqualTypeOf<string>();
expectTypeOf(device.request('echo', { text: 'hi' }, { replyEvent: 'echoed' })).resolves.toEqualTypeOf<{ text: string; from: string }>();
// @ts-expect-error the reply comes as "echoed": without replyEvent the request would wait for "echo"
void device.request('echo', { text: 'hi' });
// @ts-expect-error the reply's event is "echoed", not another
void device.request('echo', { text: 'hi' }, { replyEvent: 'echo' });
// @ts-expect-error the payload is { text: string }
void device.request('echo', { text: 42 }, { replyEvent: 'echoed' });
// @ts-expect-error no such request
void device.request('whoamI');
// A reply under the request's own name may still be named (a handler may answer otherwise than the contract says).
void device.request('whoami', undefined, { replyEvent: 'me' });

// A contract whose results are plain values (shared with a Socket.IO gateway) reads them as the data of a frame named like the request.
declare const chat: RealtimeWsClient<ChatContract>;
expectTypeOf(chat.request('message', { text: 'hi' })).resolves.toEqualTypeOf<{ status: 'ok'; at: string }>();

// emit: the same payloads.
device.emit('echo', { text: 'hi' });
device.emit('whoami');
// @ts-expect-error a payload is required
device.emit('echo');

// Events: the contract's, and the native protocol's.
device.on('note', (payload) => expectTypeOf(payload).toEqualTypeOf<{ text: string }>());
device.on('auth:expiring', ({ expiresAt }) => expectTypeOf(expiresAt).toEqualTypeOf<number>());
device.on('realtime:disconnected', ({ reason }) => expectTypeOf(reason).toEqualTypeOf<string | null>());
device.on('exception', ({ code, event }) => {
  expectTypeOf(code).toMatchTypeOf<string>();
  expectTypeOf(event).toEqualTypeOf<string>();
});
// @ts-expect-error native gateways have no rooms, so no presence
device.on('presence:join', () => undefined);
// @ts-expect-error no such event
device.on('nope', () => undefined);

// Errors and status, as RealtimeClient's.
device.onError((error) => expectTypeOf(error).toEqualTypeOf<RealtimeError>());
expectTypeOf(device.status.getSnapshot()).toEqualTypeOf<'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused'>();
expectTypeOf(device.lastError).toEqualTypeOf<RealtimeError | undefined>();

// Both WebSocket implementations fit: the `ws` package's and the platform's.
void new RealtimeWsClient({ url: 'ws://localhost/ws', WebSocket });
void new RealtimeWsClient({ url: 'ws://localhost/ws', WebSocket: globalThis.WebSocket });
// @ts-expect-error a URL is required
void new RealtimeWsClient({ WebSocket });

// Without a contract, anything goes.
declare const loose: RealtimeWsClient;
expectTypeOf(loose.request('anything', { at: 'all' })).resolves.toBeAny();
void loose.request('anything', { at: 'all' }, { replyEvent: 'other' });
loose.on('whatever', (payload) => expectTypeOf(payload).toBeAny());
