import { Inject, Injectable, Optional } from '@nestjs/common';
import { RealtimeTelemetry, sendTraced } from '../observability/realtime-telemetry.js';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import type { RealtimeUser } from '../options/auth-options.interface.js';
import { RealtimeServers } from './realtime-servers.js';
import { NativeWsClients } from '../connection/native-ws-clients.js';
import { emitToRoom } from './emit-to-room.js';
import { userRoom, DISCONNECTED_EVENT } from '../protocol/index.js';

/** Limits a `RealtimeService` call to one namespace, e.g. `{ namespace: '/notifications' }`. */
export interface RealtimeScope {
  /**
   * A Socket.IO namespace. Native WebSocket clients (which have no namespaces) are reached only
   * when no namespace is named.
   * @default every namespace of the app's gateways, and native WebSocket clients
   */
  namespace?: string;
}

/** Where an event goes: every matching socket, on every instance. */
export interface RealtimeTarget {
  emit(event: string, ...args: unknown[]): void;
}

/** A socket of a user, wherever it is connected. */
export interface RealtimeSocketInfo {
  id: string;
  namespace: string;
  rooms: string[];
  user: RealtimeUser | undefined;
}

/**
 * Reaches users and rooms from anywhere in the app (an HTTP controller, a queue consumer), across
 * every instance when `redis` is configured. Users are reached through the room each
 * authenticated socket joins (`user:<id>`), so every device of theirs gets the event.
 */
@Injectable()
export class RealtimeService {
  constructor(
    private readonly servers: RealtimeServers,
    private readonly nativeWs: NativeWsClients,
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
    // Null unless observability is on and an OpenTelemetry SDK is registered: then each send is a span.
    @Optional() @Inject(RealtimeTelemetry) private readonly telemetry?: RealtimeTelemetry | null,
  ) {}

  /** Every socket of the user, on every device and instance, native WebSocket clients included. */
  toUser(userId: string | number, scope: RealtimeScope = {}): RealtimeTarget {
    const room = this.userRoom(userId);
    return {
      emit: (event, ...args) =>
        sendTraced(this.telemetry, { namespace: scope.namespace, event, to: 'user' }, (traceparent) => {
          this.emitToRoom(room, scope, event, args, traceparent);
          // Native WebSocket clients have no namespace: only a call naming none reaches them.
          if (scope.namespace === undefined) this.nativeWs.deliver({ userId: String(userId), event, args, ...(traceparent ? { traceparent } : {}) });
        }),
    };
  }

  /** Every socket in the room, on every instance. */
  toRoom(room: string, scope: RealtimeScope = {}): RealtimeTarget {
    return {
      emit: (event, ...args) =>
        sendTraced(this.telemetry, { namespace: scope.namespace, event, to: 'room' }, (traceparent) => this.emitToRoom(room, scope, event, args, traceparent)),
    };
  }

  /**
   * Disconnects every socket of the user, on every instance. They first receive
   * `realtime:disconnected { reason }` (best effort across instances: the two travel separately).
   * With a namespace, only the user's sockets there go: the rest of each tab stays connected.
   * Without, the user's whole connections close (every namespace of their tabs).
   */
  async disconnectUser(userId: string | number, reason?: string, scope: RealtimeScope = {}): Promise<void> {
    const room = this.userRoom(userId);
    const namespaces = this.servers.namespaces(scope.namespace);
    const wholeConnections = scope.namespace === undefined;
    // Every namespace is told before any connection closes: closing one takes its tab's other namespaces along.
    for (const namespace of namespaces) namespace.to(room).emit(DISCONNECTED_EVENT, { reason: reason ?? null });
    for (const namespace of namespaces) namespace.in(room).disconnectSockets(wholeConnections);
    if (wholeConnections) {
      this.nativeWs.deliver({ userId: String(userId), disconnect: { event: DISCONNECTED_EVENT, reason: reason ?? null } });
    }
  }

  /** The user's sockets on every instance (waits up to `redis.requestsTimeout` for the others). */
  async socketsOf(userId: string | number, scope: RealtimeScope = {}): Promise<RealtimeSocketInfo[]> {
    const room = this.userRoom(userId);
    const perNamespace = await Promise.all(
      this.servers.namespaces(scope.namespace).map(async (namespace) =>
        (await namespace.in(room).timeout(this.requestsTimeout).fetchSockets()).map((socket) => ({
          id: socket.id,
          namespace: namespace.name,
          rooms: [...socket.rooms],
          user: (socket.data as { user?: RealtimeUser } | undefined)?.user,
        })),
      ),
    );
    return perNamespace.flat();
  }

  private emitToRoom(room: string, scope: RealtimeScope, event: string, args: unknown[], traceparent: string | undefined): void {
    for (const namespace of this.servers.namespaces(scope.namespace)) emitToRoom(namespace, room, event, args, traceparent);
  }

  // Every adapter mode honours a per-call timeout; the pubsub adapter's own option alone would not.
  private get requestsTimeout(): number {
    return this.options.redis?.requestsTimeout ?? 5000;
  }

  private userRoom(userId: string | number): string {
    return userRoom(this.options.userRoomPrefix, userId);
  }
}
