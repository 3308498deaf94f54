import type { Localized, ResultRow } from '../report/results.js';
import type { ServerConfig } from '../targets/server-config.js';
import { TARGET_IDS, type TargetId } from '../targets/targets.js';
import type { GeneratorHandle, Metrics, RunContext, ServerHandle, Session, TargetOutcome } from './workload.js';

/** One room spread over several instances of a target, joined by Redis. */
export interface CrossInstanceFanout {
  instances: number;
  /** How the instances reach Redis (`redisUrl`, or `redisClusterNodes` and `redisAdapter` for (c)). */
  config: Partial<ServerConfig>;
  receivers: number;
  window: number;
  room: string;
  /** Names the processes in progress lines and errors. */
  name: string;
}

/**
 * Starts the instances and a fan-out generator whose room members are spread over them
 * round-robin, the sender on the first: one probe of the cross-instance workloads.
 */
export async function startCrossInstanceFanout(
  ctx: RunContext,
  session: Session,
  target: TargetId,
  fanout: CrossInstanceFanout,
): Promise<{ servers: ServerHandle[]; generators: GeneratorHandle[] }> {
  // Booting them side by side: setup is most of what these workloads add to a run.
  const servers = await Promise.all(
    Array.from({ length: fanout.instances }, (_, i) => session.startServer(target, fanout.config, `server ${target}#${i + 1} ${fanout.name}`)),
  );
  const generator = await session.startGenerator(`generator ${fanout.name}`);
  await generator.setup('fanout', {
    urls: servers.map((server) => server.url),
    receivers: fanout.receivers,
    window: fanout.window,
    room: fanout.room,
    client: ctx.clientOptions(target),
  });
  return { servers, generators: [generator] };
}

/** One metric of each target that succeeded. */
export function valuesOf(outcomes: Partial<Record<TargetId, TargetOutcome<Metrics>>>, key: string): Partial<Record<TargetId, number>> {
  const out: Partial<Record<TargetId, number>> = {};
  for (const [target, outcome] of Object.entries(outcomes) as [TargetId, TargetOutcome<Metrics>][]) {
    if (outcome.ok) out[target] = outcome.metrics[key];
  }
  return out;
}

/** A note with each target's value over its base value: `vs 2 instances: a ×0.91, c ×0.88`; undefined when no target has both. */
export function versusNote(values: Partial<Record<TargetId, number>>, bases: Partial<Record<TargetId, number | null>>, versus: Localized): Localized | undefined {
  const parts = TARGET_IDS.flatMap((target) => {
    const base = bases[target];
    const value = values[target];
    return base && value !== undefined && Number.isFinite(value) ? [`${target} ×${(value / base).toFixed(2)}`] : [];
  });
  return parts.length ? { en: `${versus.en}: ${parts.join(', ')}`, zh: `${versus.zh}：${parts.join('，')}` } : undefined;
}

/** The same against a row of an earlier workload of this run (`vs single instance: a ×0.80, …`). */
export function versusRow(previous: ResultRow[], rowId: string, values: Partial<Record<TargetId, number>>, versus: Localized): Localized | undefined {
  const base = previous.find((r) => r.id === rowId);
  return base && versusNote(values, Object.fromEntries(TARGET_IDS.map((target) => [target, base.cells[target]?.value])), versus);
}
