import type { Namespace, Socket } from 'socket.io';
import type { SendTarget } from './send-tracing.js';

/** A broadcast's options as Socket.IO's adapters pass them (`flags` travel to the other instances). */
export interface BroadcastOptions {
  rooms: Set<string>;
  except?: Set<string>;
  flags?: Record<string, unknown>;
}

/** The flag a traced broadcast carries to every instance that delivers it: a W3C `traceparent`. */
export const TRACEPARENT_FLAG = 'realtime.traceparent';

/** What the observer reports; the telemetry counts and traces. */
export interface SocketIoObserverHooks {
  /** A broadcast started on this instance; `toOneSocket` when its one room is a socket's own. */
  broadcast(namespace: string, toOneSocket: boolean): void;
  /** A traced broadcast is delivered here (sent from this instance or another): `deliver` returns the recipients. */
  deliver(traceparent: unknown, namespace: string, deliver: () => number): void;
  /** A packet written to one socket: an event or an ack. */
  packet(namespace: string, kind: 'ack' | 'emit'): void;
  /**
   * A broadcast made here that carries no trace yet (a gateway's `server.to(room).emit()`): `send`
   * makes it, carrying the `traceparent` it is given (none without a tracer).
   */
  send(namespace: string, event: string | undefined, to: SendTarget['to'], send: (traceparent: string | undefined) => void): void;
}

interface ObservedAdapter {
  broadcast(packet: unknown, options: BroadcastOptions): unknown;
  apply(options: BroadcastOptions, callback: (socket: Socket) => void): void;
}

/**
 * Counts and traces what a namespace sends, through its adapter (whichever: in-memory, Redis): a
 * broadcast made here goes through the adapter instance's `broadcast`; every delivery, of a
 * broadcast made here or received from another instance, through its `apply`. Both are replaced on
 * the adapter instance only (not its class), when observability is on.
 */
export function observeNamespaceAdapter(namespace: Namespace, hooks: SocketIoObserverHooks): void {
  const adapter = namespace.adapter as unknown as ObservedAdapter;
  const name = namespace.name;
  const broadcast = adapter.broadcast;
  adapter.broadcast = function (this: ObservedAdapter, packet: unknown, options: BroadcastOptions) {
    const rooms = options.rooms;
    const toOneSocket = rooms.size === 1 && namespace.sockets.has(rooms.values().next().value!);
    hooks.broadcast(name, toOneSocket);
    // `RealtimeService` and `RealtimeEmitter` sends come traced already.
    if (options.flags?.[TRACEPARENT_FLAG] !== undefined) return broadcast.call(this, packet, options);
    let result: unknown;
    hooks.send(name, eventOf(packet), rooms.size === 0 ? 'namespace' : toOneSocket ? 'connection' : 'room', (traceparent) => {
      // New options, never the caller's: a broadcast operator kept by the app reuses its flags.
      result = broadcast.call(this, packet, traceparent === undefined ? options : { ...options, flags: { ...options.flags, [TRACEPARENT_FLAG]: traceparent } });
    });
    return result;
  };
  const apply = adapter.apply;
  adapter.apply = function (this: ObservedAdapter, options: BroadcastOptions, callback: (socket: Socket) => void) {
    const traceparent = options.flags?.[TRACEPARENT_FLAG];
    if (traceparent === undefined) return apply.call(this, options, callback);
    hooks.deliver(traceparent, name, () => {
      let recipients = 0;
      apply.call(this, options, (socket) => {
        recipients++;
        callback(socket);
      });
      return recipients;
    });
  };
}

/** The event a broadcast packet carries (`{ type, data: [event, ...args] }`), if it names one. */
function eventOf(packet: unknown): string | undefined {
  const data = (packet as { data?: unknown } | null)?.data;
  return Array.isArray(data) && typeof data[0] === 'string' ? data[0] : undefined;
}

// Socket.IO packet types (socket.io-parser): events and acks, binary or not.
const EVENT = 2;
const ACK = 3;
const BINARY_EVENT = 5;
const BINARY_ACK = 6;

interface PacketWriter {
  packet(packet: { type: number }, options?: unknown): void;
}

/**
 * Counts what one socket writes through `socket.packet` (its own `emit`s and the acks it sends);
 * replaced on the socket instance, when observability is on.
 */
export function observeSocketPackets(socket: Socket, hooks: SocketIoObserverHooks): void {
  const writer = socket as unknown as PacketWriter;
  const packet = writer.packet;
  const name = socket.nsp.name;
  writer.packet = function (this: PacketWriter, written: { type: number }, options?: unknown) {
    const type = written.type;
    if (type === EVENT || type === BINARY_EVENT) hooks.packet(name, 'emit');
    else if (type === ACK || type === BINARY_ACK) hooks.packet(name, 'ack');
    return packet.call(this, written, options);
  };
}
