import type { GaugePoint, MetricAttributes, MetricHistogram } from '../observability/metric-instruments.js';
import type { RealtimeTelemetry } from '../observability/realtime-telemetry.js';
import { ATTRIBUTE, METRIC } from '../observability/telemetry-names.js';
import { MemoryPresenceStore } from './memory-presence.store.js';
import type { PresenceStore } from './presence.store.js';
import { RedisPresenceStore } from './redis-presence.store.js';
import { TimedPresenceStore, type PresenceStoreOperation } from './timed-presence.store.js';

// Seconds: a memory store answers in microseconds, a Redis store in a round trip (sub-ms on a
// LAN, tens of ms across zones); past 100 ms something is wrong, and 0.25 and 1 say how much.
const STORE_DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** This instance's presence in one namespace: what its connections are in. */
class NamespaceTally {
  // namespace and room → this instance's connections in it (the children of a dynamic namespace
  // share their parent's tally, and each has rooms of its own)
  readonly rooms = new Map<string, number>();
  // userId → this instance's connections of the user that are in at least one room
  readonly users = new Map<string, number>();
  // connections in at least one room
  connections = 0;

  constructor(readonly attributes: MetricAttributes) {}
}

/**
 * Presence metrics of this instance, per namespace: how many rooms, users and connections it
 * holds (`realtime.presence.rooms`, `.users`, `.connections`, read when the SDK collects), and how
 * long each store call takes (`realtime.presence.store.duration`).
 *
 * Nothing enumerates presence cheaply at collection (it would walk every socket of every
 * namespace), so `PresenceService` tells this tally when a connection enters or leaves a room:
 * a few map updates per join and leave, made only while metrics are recorded. It mirrors each
 * connection's own set of rooms (`RealtimeConnection.presence`), so it holds the same truth.
 */
export class PresenceMetrics {
  // Kept once seen, so an emptied namespace reports 0 rather than vanishing; bounded by namespaces.
  private readonly namespaces = new Map<string, NamespaceTally>();
  private readonly storeDuration: MetricHistogram | undefined;
  private readonly storeKind: string;
  private readonly operationAttributes = new Map<PresenceStoreOperation, MetricAttributes>();

  constructor(
    private readonly telemetry: RealtimeTelemetry,
    store: PresenceStore,
  ) {
    this.storeKind = store instanceof RedisPresenceStore ? 'redis' : store instanceof MemoryPresenceStore ? 'memory' : 'custom';
    telemetry.gauge(METRIC.presenceRooms, { description: 'Presence rooms with at least one connection of this instance.', unit: '{room}' }, () =>
      this.points((tally) => tally.rooms.size),
    );
    telemetry.gauge(METRIC.presenceUsers, { description: 'Distinct users with a connection of this instance in a presence room.', unit: '{user}' }, () =>
      this.points((tally) => tally.users.size),
    );
    telemetry.gauge(METRIC.presenceConnections, { description: 'Connections of this instance in at least one presence room.', unit: '{connection}' }, () =>
      this.points((tally) => tally.connections),
    );
    this.storeDuration = telemetry.histogram(METRIC.presenceStoreDuration, {
      description: 'Time of each presence store call PresenceService makes.',
      unit: 's',
      buckets: STORE_DURATION_BUCKETS,
    });
  }

  /** `store`, its calls timed. */
  timed(store: PresenceStore): PresenceStore {
    return new TimedPresenceStore(store, (operation, seconds) => this.storeDuration?.record(seconds, this.attributesOf(operation)));
  }

  /** A connection of `userId` entered `room`; `first`: its first presence room. */
  entered(namespace: string, room: string, userId: string, first: boolean): void {
    const tally = this.tallyOf(namespace);
    const key = roomKey(namespace, room);
    tally.rooms.set(key, (tally.rooms.get(key) ?? 0) + 1);
    if (!first) return;
    tally.connections++;
    tally.users.set(userId, (tally.users.get(userId) ?? 0) + 1);
  }

  /** A connection of `userId` left `room`; `last`: it is in no presence room any more. */
  left(namespace: string, room: string, userId: string, last: boolean): void {
    const tally = this.tallyOf(namespace);
    decrement(tally.rooms, roomKey(namespace, room));
    if (!last) return;
    tally.connections--;
    decrement(tally.users, userId);
  }

  /** The tally of the namespace as metrics name it (a dynamic namespace's child by its parent's pattern). */
  private tallyOf(namespace: string): NamespaceTally {
    const scope = this.telemetry.metricNamespace(namespace);
    let tally = this.namespaces.get(scope);
    if (!tally) {
      tally = new NamespaceTally({ [ATTRIBUTE.namespace]: scope });
      this.namespaces.set(scope, tally);
    }
    return tally;
  }

  private *points(read: (tally: NamespaceTally) => number): Iterable<GaugePoint> {
    for (const tally of this.namespaces.values()) yield [read(tally), tally.attributes];
  }

  private attributesOf(operation: PresenceStoreOperation): MetricAttributes {
    let attributes = this.operationAttributes.get(operation);
    if (!attributes) {
      attributes = { [ATTRIBUTE.operation]: operation, [ATTRIBUTE.store]: this.storeKind };
      this.operationAttributes.set(operation, attributes);
    }
    return attributes;
  }
}

/** One less of `key`; the key goes at 0, so the map holds only what is there. */
function decrement(counts: Map<string, number>, key: string): void {
  const count = (counts.get(key) ?? 0) - 1;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}

function roomKey(namespace: string, room: string): string {
  return `${namespace}\n${room}`;
}
