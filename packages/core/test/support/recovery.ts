import { io, type Socket } from 'socket.io-client';
import { expect } from 'vitest';
import { RealtimeService } from '../../src/index.js';
import type { RealtimeTestingApp } from '../../src/testing/index.js';
import { collect, until } from './cluster.js';
import type { TcpProxy } from './tcp-proxy.js';
import { sign } from './tokens.js';

/**
 * Connection-state recovery across instances: a client reaches the first instance through
 * `proxy`, the proxy switches to the second (the first "goes away" behind the load balancer), an
 * event is sent while the client is off, and the client must come back with its session (same id,
 * `recovered`) and the event it missed.
 */
export async function expectRecoveryOnAnotherInstance(instances: RealtimeTestingApp[], proxy: TcpProxy): Promise<void> {
  const socket: Socket = io(`http://127.0.0.1:${proxy.port}/rooms`, {
    transports: ['websocket'],
    auth: { token: sign({ sub: 'roamer' }) },
    reconnectionDelay: 100,
    reconnectionDelayMax: 200,
  });
  try {
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const notices = collect<string>(socket, 'notice');
    instances[0]!.app.get(RealtimeService).toUser('roamer').emit('notice', 'before the drop');
    await until(() => notices.length === 1, 5000, 'the first notice');
    const firstId = socket.id;

    const reconnected = new Promise<void>((resolve) => socket.io.once('reconnect', () => resolve()));
    const dropped = new Promise((resolve) => socket.once('disconnect', resolve));
    proxy.switchTo(Number(new URL(instances[1]!.url).port));
    await dropped;
    instances[1]!.app.get(RealtimeService).toUser('roamer').emit('notice', 'while you were away');

    await reconnected;
    await until(() => notices.length === 2, 5000, 'the missed notice');
    expect(socket.recovered).toBe(true);
    expect(socket.id).toBe(firstId);
    expect(notices).toEqual(['before the drop', 'while you were away']);
  } finally {
    socket.close();
  }
}
