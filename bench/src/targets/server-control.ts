/**
 * What every target server answers to the orchestrator over IPC: CPU used in a measured
 * window, memory after GC, a heap snapshot, connection count, shutdown. Measuring inside the server process is
 * the only way to separate its cost from the load generator's on a shared machine.
 */
import { writeHeapSnapshot } from 'node:v8';
import { send, serveRpc } from '../lib/ipc.js';

export interface CpuWindow {
  /** user + system CPU time of the server process during the window, in microseconds */
  cpuUs: number;
  elapsedMs: number;
}

export interface MemorySample {
  heapUsed: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

export interface ServerHooks {
  /** How many clients the server sees connected (engine.io clients). */
  connections(): number;
  close(): Promise<void>;
}

export interface ServerReady {
  kind: 'ready';
  port: number;
  [key: string]: unknown;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function collectGarbage(): Promise<void> {
  if (!gc) throw new Error('Server started without --expose-gc');
  // Several passes with turns in between: weak callbacks and finalizers run between them.
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function serveControl(port: number, hooks: ServerHooks): void {
  let cpuMark = process.cpuUsage();
  let timeMark = performance.now();
  serveRpc({
    cpuStart: () => {
      cpuMark = process.cpuUsage();
      timeMark = performance.now();
    },
    cpuStop: (): CpuWindow => {
      const used = process.cpuUsage(cpuMark);
      return { cpuUs: used.user + used.system, elapsedMs: performance.now() - timeMark };
    },
    memory: async (): Promise<MemorySample> => {
      await collectGarbage();
      const { heapUsed, rss, external, arrayBuffers } = process.memoryUsage();
      return { heapUsed, rss, external, arrayBuffers };
    },
    /** Writes a heap snapshot (after the same GC passes as `memory`) to `file`; returns its path. */
    heapSnapshot: async (file: string): Promise<string> => {
      await collectGarbage();
      return writeHeapSnapshot(file);
    },
    connections: () => hooks.connections(),
    shutdown: async () => {
      await hooks.close();
      setImmediate(() => process.exit(0));
    },
  });
  send({ kind: 'ready', port } satisfies ServerReady);
}

/** Reports a boot failure to the orchestrator and exits. `unsupported` marks a configuration this target cannot run. */
export function failBoot(error: unknown, unsupported?: string): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  send({ kind: 'error', message, ...(unsupported ? { unsupported } : {}) });
  // Let the IPC message leave before exiting.
  setTimeout(() => process.exit(1), 100);
}
