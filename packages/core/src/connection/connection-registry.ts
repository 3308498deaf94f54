import type { RealtimeConnection } from './realtime-connection.js';

// The one place a client's connection context is found from the client itself (a Socket.IO
// socket, a native WebSocket): Nest hands adapters, guards and filters the client, never the context.
const connections = new WeakMap<object, RealtimeConnection>();

/** The connection context of a client this library serves, or `undefined` (another adapter's client). */
export function connectionOf(client: object): RealtimeConnection | undefined {
  return connections.get(client);
}

export function registerConnection(connection: RealtimeConnection): void {
  connections.set(connection.client, connection);
}
