import type { Namespace, Socket } from 'socket.io';
import { userOf } from '../connection/identity.js';
import type { RealtimeUser } from '../options/auth-options.interface.js';

/**
 * Where a recovered socket's missed packets wait for its handshake: a symbol key of `socket.data`,
 * which no serializer of the data (`fetchSockets()`, the Admin UI) sees.
 */
const MISSED_PACKETS = Symbol('realtime.missedPackets');

/** Socket.IO's `EVENT` packet type. */
const EVENT = 2;

interface RestoredSession {
  data?: Record<PropertyKey, unknown>;
  missedPackets: unknown[];
}
type SessionAdapter = { restoreSession(pid: string, offset: string): Promise<RestoredSession | null> | RestoredSession | null };
type DataWithPackets = Record<PropertyKey, unknown> & { [MISSED_PACKETS]?: unknown[] };

/**
 * Connection-state recovery without a way around the handshake. Socket.IO restores a session (its
 * rooms, `socket.data`) and writes the packets it missed to the client as it creates the socket,
 * before any namespace middleware: a `CONNECT` naming another client's session id and offset got
 * that session's packets with no token at all. Installed on a namespace, its adapter hands the
 * missed packets to the socket's data instead, the first middleware takes them from there
 * (`takeMissedPackets`), and `replayMissedPackets` sends them once the socket is admitted.
 */
export function holdMissedPackets(namespace: Namespace): void {
  const adapter = namespace.adapter as unknown as Partial<SessionAdapter>;
  // An adapter without sessions (older than Socket.IO 4.6's) never recovers one.
  if (typeof adapter.restoreSession !== 'function') return;
  const restore = adapter.restoreSession.bind(adapter);
  adapter.restoreSession = async (pid, offset) => {
    const session = await restore(pid, offset);
    if (!session) return session;
    return { ...session, data: { ...(session.data ?? {}), [MISSED_PACKETS]: session.missedPackets }, missedPackets: [] };
  };
}

// A recovered socket's missed packets, from its first middleware until it is admitted.
const heldPackets = new WeakMap<Socket, unknown[]>();

/**
 * Takes a recovered socket's missed packets out of `socket.data`, in the first middleware: an app's
 * middleware that replaces `socket.data` must not lose them.
 */
export function takeMissedPackets(socket: Socket): void {
  const data = socket.data as DataWithPackets | undefined;
  const packets = data?.[MISSED_PACKETS];
  if (!packets) return;
  delete data[MISSED_PACKETS];
  heldPackets.set(socket, packets);
}

/** Sends an admitted socket the packets its recovered session missed (nothing for any other socket). */
export function replayMissedPackets(socket: Socket): void {
  const packets = heldPackets.get(socket);
  if (!packets) return;
  heldPackets.delete(socket);
  if (!socket.connected) return;
  // What Socket.IO's own recovery sends: each packet as it was broadcast, offset last.
  const send = (socket as unknown as { packet(packet: { type: number; data: unknown }): void }).packet.bind(socket);
  for (const packet of packets) send({ type: EVENT, data: packet });
}

/** The user of the session a socket recovered, read before its handshake replaces the identity; `undefined` for any other socket. */
export function recoveredUserOf(socket: Socket): RealtimeUser | undefined {
  return socket.recovered ? userOf(socket) : undefined;
}
