import type { Socket } from 'socket.io-client';
import { RealtimeModule, type RealtimeModuleOptions } from '../../src/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { ClusterRoomsGateway } from './cluster-gateways.js';
import { SECRET, sign } from './tokens.js';

/** Boots `count` apps on one Redis: separate servers and clients, like separate instances. */
export async function startInstances(count: number, redis: RealtimeModuleOptions['redis'] | (() => RealtimeModuleOptions['redis'])) {
  const instances: RealtimeTestingApp[] = [];
  for (let i = 0; i < count; i++) {
    instances.push(
      await createRealtimeTestingApp({
        imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, redis: typeof redis === 'function' ? redis() : redis })],
        providers: [ClusterRoomsGateway],
      }),
    );
  }
  return instances;
}

export function connectAs(instance: RealtimeTestingApp, userId: string): Promise<Socket> {
  return instance.connect({ namespace: 'rooms', auth: { token: sign({ sub: userId }) } });
}

/**
 * Waits until a broadcast from the first instance reaches a client of every other one: Redis
 * subscriptions are made asynchronously after boot, so the very first messages could be missed.
 */
export async function waitUntilMeshed(instances: RealtimeTestingApp[], timeoutMs = 10_000): Promise<void> {
  const listeners = await Promise.all(instances.map((instance, i) => connectAs(instance, `mesh-${i}`)));
  await Promise.all(listeners.map((socket) => socket.emitWithAck('join', 'mesh')));
  const heard = new Set<number>();
  listeners.forEach((socket, i) => socket.on('shouted', () => heard.add(i)));
  const deadline = Date.now() + timeoutMs;
  while (heard.size < listeners.length) {
    if (Date.now() > deadline) throw new Error(`instances did not mesh over Redis within ${timeoutMs} ms`);
    await listeners[0]!.emitWithAck('shout', { room: 'mesh', text: 'probe' });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  listeners.forEach((socket) => socket.close());
}

/** Collects the payloads of `event` on a socket. */
export function collect<T = unknown>(socket: Socket, event: string): T[] {
  const received: T[] = [];
  socket.on(event, (payload: T) => received.push(payload));
  return received;
}

export async function until(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
