import type { Namespace } from 'socket.io';
import { TRACEPARENT_FLAG } from '../observability/socket-io-observer.js';

type BroadcastOperator = ReturnType<Namespace['to']>;
type BroadcastOperatorClass = new (adapter: Namespace['adapter'], rooms: Set<string>, except: Set<string>, flags: Record<string, unknown>) => BroadcastOperator;

/**
 * Emits to a room of the namespace, on every instance; with a `traceparent`, the broadcast carries
 * it (as a flag, which every Socket.IO Redis adapter forwards with the packet) so that each
 * instance's delivery joins the sender's trace. The one way `RealtimeService` and
 * `RealtimeEmitter` broadcast.
 */
export function emitToRoom(namespace: Namespace, room: string, event: string, args: unknown[], traceparent: string | undefined): void {
  const operator = namespace.to(room);
  if (traceparent === undefined) return void operator.emit(event, ...args);
  // Socket.IO exports no BroadcastOperator to construct with flags of our own: use its class.
  const Operator = operator.constructor as BroadcastOperatorClass;
  new Operator(namespace.adapter, new Set([room]), new Set(), { [TRACEPARENT_FLAG]: traceparent }).emit(event, ...args);
}
