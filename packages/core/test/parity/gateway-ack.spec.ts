// Ported from nestjs/nest integration/websockets/e2e/gateway-ack.spec.ts (mocha/chai → vitest),
// run over Nest's IoAdapter and RealtimeIoAdapter. Upstream's gateway port 8080 is a free port here.
import type { Socket } from 'socket.io-client';
import { describe, expect } from 'vitest';
import { ackGateway } from './gateways/ack.gateway.js';
import { SOCKET_IO_ADAPTERS } from './support/adapters.js';
import { parityIt, type KnownGaps } from './support/parity.js';
import { freePort, httpUrl, useParityApp } from './support/parity-app.js';

const KNOWN_GAPS: KnownGaps = {};

const it = parityIt(KNOWN_GAPS);

/** Upstream's `ws.emit(event, ...args, ack)`, failing after 5 s instead of hanging when no ack comes. */
const withAck = (socket: Socket, event: string, ...args: unknown[]) =>
  new Promise<unknown>((resolve, reject) =>
    socket.timeout(5000).emit(event, ...args, (error: Error | null, data: unknown) => (error ? reject(error) : resolve(data))),
  );

describe.each(SOCKET_IO_ADAPTERS)('WebSocketGateway (ack) on $name', (adapter) => {
  const parity = useParityApp(adapter);

  async function connect() {
    const port = await freePort();
    await parity.start({ providers: [ackGateway(port)] });
    return parity.io(httpUrl(port));
  }

  it(adapter, 'should handle message with ack (http)', async () => {
    const ws = await connect();
    expect(await withAck(ws, 'push', { test: 'test' })).toEqual('pong');
  });

  it(adapter, 'should handle message with ack & without data (http)', async () => {
    const ws = await connect();
    expect(await withAck(ws, 'push')).toEqual('pong');
  });

  it(adapter, 'should handle manual ack for async operations when @Ack() is used (success case)', async () => {
    const ws = await connect();
    const payload = { shouldSucceed: true };
    expect(await withAck(ws, 'manual-ack', payload)).toEqual({ status: 'success', data: payload });
  });

  it(adapter, 'should handle manual ack for async operations when @Ack() is used (error case)', async () => {
    const ws = await connect();
    expect(await withAck(ws, 'manual-ack', { shouldSucceed: false })).toEqual({ status: 'error', message: 'Operation failed' });
  });
});

describe('known gaps', () => it.everyGapNamesATest());
