import { Catch, Logger, UseFilters, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { SubscribeMessage, WebSocketGateway, WsException } from '@nestjs/websockets';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeModule } from '../../src/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { EchoHandler } from '../support/echo-gateways.js';

@WebSocketGateway({ namespace: 'guest-list' })
class GuestListGateway extends EchoHandler {
  handleConnection(socket: { handshake: { auth: { name?: string } } }) {
    if (socket.handshake.auth.name !== 'ann') throw new WsException({ code: 'FORBIDDEN', message: 'Not on the guest list' });
  }
}

@WebSocketGateway({ namespace: 'flaky-setup' })
class FlakySetupGateway extends EchoHandler {
  async handleConnection() {
    await new Promise((resolve) => setTimeout(resolve, 5));
    throw new Error('cannot reach session store at 10.0.0.12');
  }
}

@WebSocketGateway({ namespace: 'noisy-exit' })
class NoisyExitGateway extends EchoHandler {
  handleDisconnect() {
    throw new Error('cleanup failed');
  }
}

class DomainError extends Error {}

@Catch(DomainError)
class DomainErrorFilter implements ExceptionFilter {
  catch(_error: DomainError, host: ArgumentsHost) {
    host.switchToWs().getClient<{ emit: (e: string, d: unknown) => void }>().emit('domain-error', { handledBy: 'app filter' });
  }
}

@UseFilters(DomainErrorFilter)
@WebSocketGateway({ namespace: 'own-filter' })
class OwnFilterGateway {
  @SubscribeMessage('domain')
  domain() {
    throw new DomainError('x');
  }

  @SubscribeMessage('other')
  other() {
    throw new WsException('falls through to the contract');
  }
}

/** Connects with listeners in place before the handshake, so nothing the server sends is missed. */
function connectRecording(url: string, namespace: string, auth: Record<string, unknown> = {}) {
  const events: [string, unknown][] = [];
  const socket: Socket = io(`${url}/${namespace}`, { transports: ['websocket'], reconnection: false, forceNew: true, auth });
  socket.onAny((event, payload) => events.push([event, payload]));
  const disconnected = new Promise<string>((resolve) => socket.on('disconnect', resolve));
  return { socket, events, disconnected };
}

describe('errors around the connection lifecycle', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({})],
      providers: [GuestListGateway, FlakySetupGateway, NoisyExitGateway, OwnFilterGateway],
    });
  });
  afterAll(() => rt?.close());
  afterEach(() => vi.restoreAllMocks());

  it('sends a handleConnection error as the contract with event "connection", then disconnects', async () => {
    const { socket, events, disconnected } = connectRecording(rt.url, 'guest-list', { name: 'bob' });
    expect(await disconnected).toBe('io server disconnect');
    expect(events).toEqual([
      ['exception', { status: 'error', code: 'FORBIDDEN', message: 'Not on the guest list', event: 'connection', requestId: expect.any(String) }],
    ]);
    socket.close();

    const welcome = await rt.connect({ namespace: 'guest-list', auth: { name: 'ann' } });
    expect(await welcome.emitWithAck('echo', 'in')).toBe('in');
  });

  it('handles an async rejection in handleConnection as INTERNAL, without leaking it or crashing', async () => {
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { socket, events, disconnected } = connectRecording(rt.url, 'flaky-setup');
    expect(await disconnected).toBe('io server disconnect');
    expect(events).toEqual([
      ['exception', { status: 'error', code: 'INTERNAL', message: 'Internal server error', event: 'connection', requestId: expect.any(String) }],
    ]);
    const requestId = (events[0]![1] as { requestId: string }).requestId;
    expect(logged).toHaveBeenCalledWith(expect.stringContaining(requestId), expect.stringContaining('10.0.0.12'));
    socket.close();
    // The server is alive: other namespaces keep serving.
    const other = await rt.connect({ namespace: 'guest-list', auth: { name: 'ann' } });
    expect(await other.emitWithAck('echo', 'alive')).toBe('alive');
  });

  it('logs a handleDisconnect error instead of crashing', async () => {
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const socket = await rt.connect({ namespace: 'noisy-exit' });
    socket.disconnect();
    await vi.waitFor(() => expect(logged).toHaveBeenCalledWith(expect.stringContaining('handleDisconnect failed'), expect.stringContaining('cleanup failed')));
    const other = await rt.connect({ namespace: 'noisy-exit' });
    expect(await other.emitWithAck('echo', 'fine')).toBe('fine');
  });

  it('runs the gateway\'s own filters first and the contract only for what they do not catch', async () => {
    const socket = await rt.connect({ namespace: 'own-filter' });
    const handled = new Promise((resolve) => socket.once('domain-error', resolve));
    socket.emit('domain');
    expect(await handled).toEqual({ handledBy: 'app filter' });
    expect(await socket.emitWithAck('other')).toMatchObject({ code: 'BAD_REQUEST', message: 'falls through to the contract', event: 'other' });
  });
});

describe('applyErrorContract: false', () => {
  it('leaves gateways to Nest\'s own exception handling', async () => {
    @WebSocketGateway({ namespace: 'untouched' })
    class UntouchedGateway {
      @SubscribeMessage('fail')
      fail() {
        throw new WsException('plain nest');
      }
    }
    const rt = await createRealtimeTestingApp({ imports: [RealtimeModule.forRoot({ applyErrorContract: false })], providers: [UntouchedGateway] });
    try {
      const socket = await rt.connect({ namespace: 'untouched' });
      const exception = new Promise((resolve) => socket.once('exception', resolve));
      socket.emit('fail', {});
      expect(await exception).toMatchObject({ status: 'error', message: 'plain nest' });
      expect(await exception).not.toHaveProperty('requestId');
    } finally {
      await rt.close();
    }
  });
});
