import { clusterWorkload } from './cluster.js';
import { echoWorkload } from './echo.js';
import { fanoutWorkload } from './fanout.js';
import { floodWorkload } from './flood.js';
import { handshakeWorkload } from './handshake.js';
import { memoryWorkload } from './memory.js';
import { payloadJsonWorkload, payloadMsgpackWorkload } from './payload.js';
import { presenceWorkload } from './presence.js';
import type { Workload } from './workload.js';

/**
 * Every workload, in the order they run (and appear in the table). A workload that compares
 * itself to another (msgpack → payload, cluster → fanout) comes after it.
 */
export const WORKLOADS: Workload[] = [
  echoWorkload,
  payloadJsonWorkload,
  payloadMsgpackWorkload,
  fanoutWorkload,
  clusterWorkload,
  handshakeWorkload,
  memoryWorkload,
  presenceWorkload,
  floodWorkload,
];
