/**
 * The names the library records under, in one place: they are a contract with dashboards and
 * alerts (see the Observability guide). `error.type` is OpenTelemetry's semantic convention; the
 * rest are the library's own, under `realtime.*`: a Socket.IO event is neither a broker message
 * (`messaging.*`) nor an RPC method, and the conventions name no WebSocket attributes.
 */
export const INSTRUMENTATION_SCOPE = '@nestjs-realtime/core';

export const METRIC = {
  connections: 'realtime.connections',
  handshakes: 'realtime.handshakes',
  messagesReceived: 'realtime.messages.received',
  messageDuration: 'realtime.message.duration',
  rateLimitRefusals: 'realtime.rate_limit.refusals',
  presenceJoins: 'realtime.presence.joins',
  presenceLeaves: 'realtime.presence.leaves',
  messagesSent: 'realtime.messages.sent',
  presenceRooms: 'realtime.presence.rooms',
  presenceUsers: 'realtime.presence.users',
  presenceConnections: 'realtime.presence.connections',
  presenceStoreDuration: 'realtime.presence.store.duration',
  draining: 'realtime.draining',
  drainRemaining: 'realtime.drain.remaining',
  redisUp: 'realtime.redis.up',
  redisReconnects: 'realtime.redis.reconnects',
  redisLostCommands: 'realtime.redis.lost_commands',
} as const;

/** A metric the library records. */
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

export const ATTRIBUTE = {
  namespace: 'realtime.namespace',
  transport: 'realtime.transport',
  event: 'realtime.event',
  outcome: 'realtime.outcome',
  reason: 'realtime.reason',
  room: 'realtime.room',
  requestId: 'realtime.request_id',
  errorType: 'error.type',
  /** Who a `RealtimeService` send is for: `user` or `room` (never which one). */
  target: 'realtime.target',
  /** How many connections a delivery reached on this instance. */
  recipients: 'realtime.recipients',
  /** How a message left: `ack`, `emit` or `broadcast`. */
  kind: 'realtime.kind',
  /** A presence store call `PresenceService` made: `join`, `leave`, `update`, `list`, `count`, `user_in`… */
  operation: 'realtime.operation',
  /** The presence store: `memory`, `redis`, or `custom`. */
  store: 'realtime.store',
  /** Which Redis connection: `adapter`, the Socket.IO adapter's, which presence and the per-user rate limit use too. */
  redisConnection: 'realtime.redis.connection',
  /** The adapter command Redis did not carry out, in lowercase: `publish`, `ssubscribe`, `set`, `connect`… */
  redisCommand: 'realtime.redis.command',
} as const;

/** The event attribute of a message no handler serves: never the client's string (unbounded, attacker-chosen). */
export const UNKNOWN_EVENT = 'unknown';

/** The outcome of a message the rate limit refused. */
export const RATE_LIMITED_OUTCOME = 'rate_limited';

/** The span of a handshake. */
export const HANDSHAKE_SPAN = 'realtime.handshake';

/** The span of a `RealtimeService` / `RealtimeEmitter` send, and of its delivery on each instance. */
export const SEND_SPAN = 'realtime.send';
export const DELIVER_SPAN = 'realtime.deliver';

// Seconds, as OpenTelemetry's HTTP server duration: most handlers answer within milliseconds.
export const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
