import { Injectable } from '@nestjs/common';
import { Server, type Namespace } from 'socket.io';
import { RealtimeRedisConnection } from '../redis/realtime-redis-connection.js';
import { disconnectClient, emitToClient, type NativeWsClient } from './client-transport.js';
import { connectionOf } from './connection-registry.js';
import { WS_CLOSE_DISCONNECTED } from '../protocol/index.js';

/**
 * The Socket.IO namespace instances use to reach each other's native WebSocket clients. It lives
 * on a server with no HTTP server, so no client can ever join it.
 */
export const NATIVE_WS_BRIDGE_NAMESPACE = '/realtime:native-ws';
export const NATIVE_WS_DELIVER_EVENT = 'deliver';

/** A delivery to every native WebSocket client of one user; a traced send carries its `traceparent` to each instance. */
export type NativeWsDelivery =
  | { userId: string; event: string; args: unknown[]; traceparent?: string }
  | { userId: string; disconnect: { event: string; reason: string | null } };

/** Runs `deliver` (which returns how many clients it reached) as part of the trace `traceparent` names. */
export type DeliveryTracer = (traceparent: string, deliver: () => number) => void;

/**
 * The native WebSocket clients of this instance, by user, so `RealtimeService.toUser()` reaches
 * them next to the user's Socket.IO sockets. With `redis`, deliveries also travel to the other
 * instances as Socket.IO server-side events over the module's Redis adapter.
 */
@Injectable()
export class NativeWsClients {
  // A user's one client as itself, several in a Set: most users have one connection, and a Set costs more than it.
  private readonly byUser = new Map<string, NativeWsClient | Set<NativeWsClient>>();
  private readonly connected = new Set<NativeWsClient>();
  private bridge?: Namespace;

  /** Runs a traced delivery in its span, while observability is on (see `traceDeliveriesWith`). */
  private traceDelivery?: DeliveryTracer;

  constructor(private readonly redis: RealtimeRedisConnection) {}

  /** Hands traced deliveries (a send's `traceparent`) to the telemetry. */
  traceDeliveriesWith(tracer: DeliveryTracer): void {
    this.traceDelivery = tracer;
  }

  /** Starts receiving other instances' deliveries; called when the first native gateway is served. */
  listenToOtherInstances(): void {
    const redis = this.redis.redis;
    if (this.bridge || !redis) return;
    this.bridge = new Server({ adapter: redis.adapter, serveClient: false }).of(NATIVE_WS_BRIDGE_NAMESPACE);
    this.bridge.on(NATIVE_WS_DELIVER_EVENT, (delivery: NativeWsDelivery) => this.deliverHere(delivery));
  }

  /** Tracks a client until `remove()`; an authenticated one by its user. */
  add(client: NativeWsClient, userId?: string | number): void {
    this.connected.add(client);
    if (userId === undefined) return;
    const key = String(userId);
    const known = this.byUser.get(key);
    if (!known) this.byUser.set(key, client);
    else if (known instanceof Set) known.add(client);
    else if (known !== client) this.byUser.set(key, new Set([known, client]));
  }

  /** Forgets a client that closed. */
  remove(client: NativeWsClient, userId?: string | number): void {
    this.connected.delete(client);
    if (userId === undefined) return;
    const key = String(userId);
    const known = this.byUser.get(key);
    if (known === client || (known instanceof Set && known.delete(client) && known.size === 0)) this.byUser.delete(key);
  }

  /** Delivers here and, with Redis, on every other instance that serves native clients. */
  deliver(delivery: NativeWsDelivery): void {
    this.deliverHere(delivery);
    this.bridge?.serverSideEmit(NATIVE_WS_DELIVER_EVENT, delivery);
  }

  /** Every native client connected to this instance. */
  all(): NativeWsClient[] {
    return [...this.connected];
  }

  /** This instance's native clients of the user. */
  clientsOf(userId: string | number): NativeWsClient[] {
    const known = this.byUser.get(String(userId));
    return known === undefined ? [] : known instanceof Set ? [...known] : [known];
  }

  /** Stops listening to other instances (before the Redis clients close). */
  async close(): Promise<void> {
    await this.bridge?.adapter.close();
    this.bridge = undefined;
  }

  private deliverHere(delivery: NativeWsDelivery): void {
    if ('disconnect' in delivery) {
      for (const client of this.clientsOf(delivery.userId)) {
        emitToClient(client, delivery.disconnect.event, { reason: delivery.disconnect.reason });
        disconnectClient(client, WS_CLOSE_DISCONNECTED, delivery.disconnect.reason ?? 'disconnected');
      }
      return;
    }
    const deliver = () => {
      const clients = this.clientsOf(delivery.userId);
      for (const client of clients) {
        // Through the connection, which counts what it sends while observability is on.
        const connection = connectionOf(client);
        if (connection) connection.emit(delivery.event, ...delivery.args);
        else emitToClient(client, delivery.event, ...delivery.args);
      }
      return clients.length;
    };
    // A user's native clients may be on several paths: the delivery's span names none.
    if (delivery.traceparent && this.traceDelivery) this.traceDelivery(delivery.traceparent, deliver);
    else deliver();
  }
}
