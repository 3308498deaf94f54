import { Logger } from '@nestjs/common';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeModule } from '../../src/index.js';
import { createRealtimeTestingApp, waitForEvent, type RealtimeTestingApp } from '../../src/testing/index.js';
import { collect, until } from '../support/cluster.js';
import { DispatchGateway, SecondDispatchGateway, probe } from '../support/dispatch-gateways.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The server answers messages of one socket in order, so once this round trip is back, earlier replies are in. */
async function roundTrip(socket: Socket): Promise<void> {
  expect(await socket.emitWithAck('value', 'sync point')).toBe('sync point');
}

/** Sends `event` with an ack callback and records every call of it. */
function emitRecordingAcks(socket: Socket, event: string, ...args: unknown[]): unknown[][] {
  const calls: unknown[][] = [];
  socket.emit(event, ...args, (...reply: unknown[]) => calls.push(reply));
  return calls;
}

describe('message dispatch through RealtimeIoAdapter (Nest semantics, lean path)', () => {
  let rt: RealtimeTestingApp;
  let socket: Socket;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    rt = await createRealtimeTestingApp({ imports: [RealtimeModule.forRoot({})], providers: [DispatchGateway, SecondDispatchGateway] });
    socket = await rt.connect({ namespace: 'dispatch' });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await rt?.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    expect(unhandled).toEqual([]);
  });

  describe('acks', () => {
    it('acks a plain return value', async () => {
      expect(await socket.emitWithAck('value', { n: 1 })).toEqual({ n: 1 });
    });

    it('acks what a returned promise resolves to', async () => {
      expect(await socket.emitWithAck('promise', 'p')).toEqual({ resolved: 'p' });
    });

    it('acks the value of an async handler once it is awaited', async () => {
      expect(await socket.emitWithAck('async', 'later')).toEqual({ awaited: 'later' });
    });

    it.each(['null', 'undefined'])('sends nothing when the handler returns %s, and the socket keeps answering', async (kind) => {
      const errorLog = vi.spyOn(Logger.prototype, 'error');
      const acks = emitRecordingAcks(socket, 'nothing', kind);
      const exception = collect(socket, 'exception');
      await roundTrip(socket);
      expect(acks).toEqual([]);
      expect(exception).toEqual([]);
      expect(errorLog).not.toHaveBeenCalled();
      socket.off('exception');
    });

    it('leaves the ack to a handler that takes @Ack(): its return value is never sent', async () => {
      expect(await socket.emitWithAck('manual', 'by hand')).toEqual({ manual: 'by hand' });
    });
  });

  describe('{ event, data } results', () => {
    it('emits the result as that event instead of acking it', async () => {
      const answered = waitForEvent(socket, 'answered');
      const acks = emitRecordingAcks(socket, 'as-event', { hello: 'world' });
      expect(await answered).toEqual({ hello: 'world' });
      await roundTrip(socket);
      expect(acks).toEqual([]);
    });
  });

  describe('payload mapping (Nest mapPayload)', () => {
    it.each<[string, unknown[], { kind: string; data: unknown }]>([
      ['one argument → that value', ['solo'], { kind: 'string', data: 'solo' }],
      ['one array argument → that array', [[1, 2]], { kind: 'array', data: [1, 2] }],
      ['several arguments → an array of them', [1, 'two', { three: 3 }], { kind: 'array', data: [1, 'two', { three: 3 }] }],
      ['no argument → undefined', [], { kind: 'undefined', data: null }],
    ])('%s', async (_name, args, expected) => {
      expect(await socket.emitWithAck('payload', ...args)).toEqual(expected);
    });

    it('maps several arguments the same when the client sends no ack', async () => {
      const answered = waitForEvent(socket, 'answered');
      socket.emit('as-event', 'a', 'b');
      expect(await answered).toEqual(['a', 'b']);
    });
  });

  describe('guards, pipes, interceptors, filters', () => {
    it('runs the handler when its guard allows', async () => {
      expect(await socket.emitWithAck('guarded', { allow: true, text: 'hi' })).toBe('through:hi');
    });

    it('answers FORBIDDEN through the error contract when its guard refuses', async () => {
      expect(await socket.emitWithAck('guarded', { allow: false, text: 'hi' })).toEqual({
        status: 'error',
        code: 'FORBIDDEN',
        message: 'Forbidden',
        event: 'guarded',
        requestId: expect.stringMatching(UUID),
      });
    });

    it('hands the handler what a param pipe made of the body', async () => {
      expect(await socket.emitWithAck('shout', 'hey')).toBe('HEY!');
    });

    it('hands the handler a validated DTO instance', async () => {
      expect(await socket.emitWithAck('note', { text: 'ok', votes: 2 })).toEqual({ isDto: true, note: { text: 'ok', votes: 2 } });
    });

    it('answers BAD_REQUEST with the field messages when validation fails', async () => {
      expect(await socket.emitWithAck('note', { text: '', votes: 0 })).toEqual({
        status: 'error',
        code: 'BAD_REQUEST',
        message: 'Validation failed',
        details: {
          fields: { text: ['text must be longer than or equal to 1 characters'], votes: ['votes must not be less than 1'] },
          messages: ['text must be longer than or equal to 1 characters', 'votes must not be less than 1'],
        },
        event: 'note',
        requestId: expect.stringMatching(UUID),
      });
    });

    it('acks the result as an interceptor mapped it', async () => {
      expect(await socket.emitWithAck('wrapped', 42)).toEqual({ wrapped: 42 });
    });

    it('streams every item of an Observable handler as an interceptor mapped it, in order', async () => {
      const scaled = collect<number>(socket, 'scaled');
      socket.emit('stream-times-ten', 5);
      await until(() => scaled.length === 5, 3000, 'five scaled items');
      expect(scaled).toEqual([10, 20, 30, 40, 50]);
      socket.off('scaled');
    });

    it("lets the gateway's own exception filter answer", async () => {
      const teapot = waitForEvent(socket, 'teapot');
      socket.emit('brew', 'coffee');
      expect(await teapot).toEqual({ brewed: 'no coffee here' });
    });
  });

  describe('Observable results', () => {
    it('emits every item in order, and acks the plain value that follows', async () => {
      const counted = collect<number>(socket, 'counted');
      expect(await socket.emitWithAck('count', 20)).toEqual({ done: 20 });
      await until(() => counted.length === 20, 3000, 'twenty items');
      expect(counted).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      socket.off('counted');
    });

    it('acks the first plain item only (Socket.IO acks once)', async () => {
      const acks = emitRecordingAcks(socket, 'plain-items');
      await until(() => acks.length > 0, 3000, 'the ack');
      await roundTrip(socket);
      expect(acks).toEqual([['first']]);
    });

    it('stops the producer when the client disconnects, before handleDisconnect runs', async () => {
      const client = await rt.connect({ namespace: 'dispatch' });
      const ticks = collect<number>(client, 'tick');
      const id = client.id!;
      client.emit('ticker');
      await until(() => ticks.length >= 3, 3000, 'a few ticks');
      expect(probe.producers.get(id)).toBe('running');
      client.disconnect();
      await until(() => probe.producerAtDisconnect.has(id), 3000, 'handleDisconnect');
      expect(probe.producers.get(id)).toBe('torn down');
      expect(probe.producerAtDisconnect.get(id)).toBe('torn down');
    });

    it('never starts a stream whose handler resolves after the client left', async () => {
      const client = await rt.connect({ namespace: 'dispatch' });
      const id = client.id!;
      client.emit('late-stream');
      await until(() => probe.lateStreamEntered.has(id), 3000, 'the handler to start');
      client.disconnect();
      await until(() => probe.producerAtDisconnect.has(id), 3000, 'handleDisconnect');
      probe.releaseLateStream();
      // The handler's promise chain settles within microtasks, all run before the next macrotask.
      await new Promise((resolve) => setImmediate(resolve));
      await roundTrip(socket);
      expect(probe.lateStreamStarted.has(id)).toBe(false);
    });
  });

  describe('handler discovery', () => {
    it('serves a handler declared on a base class of the gateway', async () => {
      expect(await socket.emitWithAck('inherited', 'x')).toBe('base:x');
    });

    it("serves a subclass's re-decorated override instead of the base handler", async () => {
      expect(await socket.emitWithAck('overridden')).toBe('subclass');
    });

    it('runs the handlers of every gateway on the namespace for one event', async () => {
      const before = probe.sharedBySecond;
      const fromFirst = waitForEvent(socket, 'shared-first');
      expect(await socket.emitWithAck('shared')).toBe('acked by the second gateway');
      expect(await fromFirst).toBe('from the first gateway');
      expect(probe.sharedBySecond).toBe(before + 1);
      expect(await socket.emitWithAck('second-only', 1)).toEqual({ second: 1 });
    });

    it('runs no handler for a packet a socket middleware refused', async () => {
      socket.emit('blocked');
      await roundTrip(socket);
      expect(probe.blockedRuns).toBe(0);
    });
  });

  describe('a failure that escapes the exception filters (a rethrowing filter)', () => {
    it('is logged, answers nothing, and the event keeps working for later messages', async () => {
      const logged: string[] = [];
      vi.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
      const acks = emitRecordingAcks(socket, 'fragile', { fail: true });
      await until(() => logged.length > 0, 3000, 'the log');
      expect(logged.join('\n')).toContain('fragile handler exploded');
      expect(logged.join('\n')).toContain('"fragile"');
      expect(await socket.emitWithAck('fragile', {})).toBe('fine');
      expect(acks).toEqual([]);
      expect(await socket.emitWithAck('value', 'others too')).toBe('others too');
    });

    it('is logged when it ends a stream, after the items before it were delivered', async () => {
      const logged: string[] = [];
      vi.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
      const items = collect<number>(socket, 'fragile-item');
      socket.emit('fragile-stream');
      await until(() => logged.length > 0, 3000, 'the log');
      expect(logged.join('\n')).toContain('fragile stream exploded');
      await roundTrip(socket);
      expect(items).toEqual([1]);
      socket.off('fragile-item');
      const again = collect<number>(socket, 'fragile-item');
      socket.emit('fragile-stream');
      await until(() => again.length === 1, 3000, 'the stream again');
      socket.off('fragile-item');
    });
  });
});
