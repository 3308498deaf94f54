import { Logger } from '@nestjs/common';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeModule } from '../../src/index.js';
import { createRealtimeTestingApp, waitForEvent, type RealtimeTestingApp } from '../../src/testing/index.js';
import { ERROR_PATHS as paths, ErrorsGateway, INTERNAL, validBody } from '../support/error-gateways.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the error contract (applied by the adapter, no @UseFilters on the gateway)', () => {
  let rt: RealtimeTestingApp;
  let socket: Socket;
  let bystander: Socket;

  beforeAll(async () => {
    rt = await createRealtimeTestingApp({ imports: [RealtimeModule.forRoot({})], providers: [ErrorsGateway] });
    socket = await rt.connect({ namespace: 'errors' });
    bystander = await rt.connect({ namespace: 'errors' });
  });
  afterAll(() => rt?.close());
  afterEach(() => vi.restoreAllMocks());

  const expectStillServing = async () => {
    expect(await socket.emitWithAck('echo', 'after')).toBe('after');
    expect(await bystander.emitWithAck('echo', 'unaffected')).toBe('unaffected');
  };

  it('answers an event no handler serves with NOT_FOUND through the ack, and drops it without one', async () => {
    expect(await socket.emitWithAck('no-such-event', { x: 1 })).toEqual({
      status: 'error',
      code: 'NOT_FOUND',
      message: 'No handler for event "no-such-event"',
      event: 'no-such-event',
      requestId: expect.any(String),
    });
    const exceptions: unknown[] = [];
    socket.on('exception', (payload) => exceptions.push(payload));
    socket.emit('no-such-event', { x: 1 });
    expect(await socket.emitWithAck('echo', 'in order')).toBe('in order');
    socket.off('exception');
    expect(exceptions).toEqual([]);
    await expectStillServing();
  });

  it.each(paths)('%s %j → through the ack', async (event, body, expected) => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const reply = await (body === undefined ? socket.emitWithAck(event) : socket.emitWithAck(event, body));
    expect(reply).toEqual({ status: 'error', ...expected, event, requestId: expect.stringMatching(UUID) });
    await expectStillServing();
  });

  it.each(paths)('%s %j → as the exception event when no ack was sent', async (event, body, expected) => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const exception = waitForEvent(socket, 'exception');
    socket.emit(event, body);
    expect(await exception).toEqual({ status: 'error', ...expected, event, requestId: expect.stringMatching(UUID) });
    await expectStillServing();
  });

  it('lets a valid DTO through RealtimeValidationPipe, transformed to its class', async () => {
    expect(await socket.emitWithAck('validated', validBody)).toEqual({ ok: true, isDto: true, authorIsClass: true, body: validBody });
  });

  it('never sends an internal error\'s message or stack, and logs both under the same requestId', async () => {
    const logged: string[] = [];
    vi.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
    const raw: string[] = [];
    const onPacket = (packet: { data?: unknown }) => raw.push(String(packet.data ?? ''));
    socket.io.engine.on('packet', onPacket);

    const replies = [await socket.emitWithAck('crash'), await socket.emitWithAck('crash-async'), await socket.emitWithAck('http-500')];
    const exception = waitForEvent(socket, 'exception');
    socket.emit('throw-string');
    replies.push(await exception);
    socket.io.engine.off('packet', onPacket);

    const everythingReceived = raw.join('\n');
    for (const secret of ['/var/lib/app/keys', 'async secret', 'hunter2', 'abc123', 'TypeError', '    at ']) {
      expect(everythingReceived).not.toContain(secret);
    }
    for (const reply of replies as { requestId: string }[]) {
      expect(logged.filter((line) => line.includes(reply.requestId))).toHaveLength(1);
    }
    const crashLog = logged.find((line) => line.includes((replies[0] as { requestId: string }).requestId))!;
    expect(crashLog).toContain('secret internal detail: /var/lib/app/keys');
    expect(crashLog).toMatch(/\n\s+at /); // the stack
  });

  it('ends a failing stream with the contract and keeps the socket working', async () => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const ticks: number[] = [];
    socket.on('tick', (n: number) => ticks.push(n));
    const exception = waitForEvent<Record<string, unknown>>(socket, 'exception');
    socket.emit('stream-error');
    expect(await exception).toEqual({ status: 'error', ...INTERNAL, event: 'stream-error', requestId: expect.stringMatching(UUID) });
    socket.off('tick');
    expect(ticks).toEqual([0, 1]);
    await expectStillServing();
  });
});
