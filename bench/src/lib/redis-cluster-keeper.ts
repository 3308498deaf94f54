/**
 * Child process that owns a throwaway Redis Cluster (the test kit's `RedisClusterTestServer`:
 * 3 masters and a replica of each on free loopback ports) and takes it down when the benchmark
 * goes away, even if the benchmark itself is killed (the IPC channel closes). The redis-server
 * twin of this file is `redis-keeper.ts`.
 */
import { readFileSync } from 'node:fs';
import { RedisClusterTestServer } from '@nestjs-realtime/core/testing';
import { send } from './ipc.js';

/** The processes this one started (the cluster's nodes), so the run counts their CPU as its own, not as noise. */
function childPids(): number[] {
  try {
    return readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const starting = RedisClusterTestServer.start();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Even mid-start: wait for the nodes to be up, or they would outlive us.
    void starting.then((cluster) => cluster.stop(), () => undefined).finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The benchmark went away (even SIGKILLed): take the nodes down with us.
  process.on('disconnect', stop);
  try {
    const cluster = await starting;
    if (!stopping) send({ kind: 'ready', urls: cluster.urls, pids: childPids() });
  } catch (error) {
    // start() has stopped whatever nodes it had started.
    send({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}

void main();
