import { bigRoomWorkload } from './big-room.js';
import { clusterWorkload } from './cluster.js';
import { echoWorkload, wsEchoWorkload } from './echo.js';
import { fanoutWorkload } from './fanout.js';
import { floodWorkload } from './flood.js';
import { handshakeWorkload } from './handshake.js';
import { memoryWorkload, wsMemoryWorkload } from './memory.js';
import { observabilityWorkload } from './observability.js';
import { payloadJsonWorkload, payloadMsgpackWorkload } from './payload.js';
import { presenceWorkload } from './presence.js';
import { scaleOutWorkload } from './scale-out.js';
import type { Workload } from './workload.js';

/**
 * Every workload, in the order they run (and appear in the table). A workload that compares
 * itself to another (msgpack → payload, cluster → fanout) comes after it. The native WebSocket
 * workloads come last: their columns are other servers ((a) raw ws, (b) Nest's WsAdapter,
 * (c) RealtimeWsAdapter).
 */
export const WORKLOADS: Workload[] = [
  echoWorkload,
  payloadJsonWorkload,
  payloadMsgpackWorkload,
  fanoutWorkload,
  clusterWorkload,
  scaleOutWorkload,
  handshakeWorkload,
  memoryWorkload,
  presenceWorkload,
  bigRoomWorkload,
  floodWorkload,
  observabilityWorkload,
  wsEchoWorkload,
  wsMemoryWorkload,
];
