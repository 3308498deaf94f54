import { sleep } from '../lib/stats.js';
import type { TargetId } from '../targets/targets.js';
import type { RunContext, ServerHandle, Session } from './workload.js';

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition()) && Date.now() < deadline) await sleep(50);
}

/**
 * Starts `target` in `session` and samples it twice: with no client connected, then with `count`
 * idle clients (authenticated where the target requires it). The memory workload samples heap
 * and RSS; `heap-diff` takes heap snapshots.
 */
export async function sampleIdle<S>(
  ctx: RunContext,
  target: TargetId,
  session: Session,
  count: number,
  sample: (server: ServerHandle, connections: number) => Promise<S>,
): Promise<{ before: S; after: S }> {
  const server = await session.startServer(target);
  const generator = await session.startGenerator();
  await generator.setup('idle', { url: server.url, count, concurrency: ctx.profile.memory.concurrency, client: ctx.clientOptions(target) });
  // A few connections first, gone before the baseline: lazily created state (modules, JIT
  // code, caches) is then not billed to the N connections.
  await generator.invoke('connect', 50);
  await generator.invoke('disconnect');
  await waitFor(async () => (await server.connections()) === 0);
  const before = await sample(server, 0);
  const connected = await generator.invoke<number>('connect');
  await waitFor(async () => (await server.connections()) === count);
  await sleep(500);
  const seen = await server.connections();
  if (connected !== count || seen !== count) {
    throw new Error(`expected ${count} connections, generator has ${connected}, server sees ${seen}`);
  }
  const after = await sample(server, count);
  return { before, after };
}
