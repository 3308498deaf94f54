import type { ServerConfig } from '../targets/server-config.js';
import { probeOf, rawOf, row, type Rig, type Workload } from './workload.js';

type Variant = NonNullable<ServerConfig['observability']>;

/** Rounds of the full profile for these rows. */
const OBSERVABILITY_ROUNDS = 11;

const VARIANTS: { variant: Variant; en: string; zh: string }[] = [
  { variant: 'off', en: 'observability off', zh: '可观测性关闭' },
  {
    variant: 'app-traced',
    en: 'off, in an app whose SDK traces (async context in use)',
    zh: '关闭，应用已注册追踪 SDK（异步上下文已启用）',
  },
  { variant: 'no-sdk', en: 'on, no SDK registered', zh: '开启，未注册 SDK' },
  { variant: 'metrics', en: 'on, SDK with metrics only', zh: '开启，SDK 仅记录指标' },
  { variant: 'sdk', en: 'on, SDK with metrics and traces', zh: '开启，SDK 记录指标和追踪' },
  { variant: 'sdk-sampled', en: 'on, SDK with metrics and 1 % of traces sampled', zh: '开启，SDK 记录指标并采样 1% 的追踪' },
];

/**
 * What observability costs a message, (c) only: the echo workload on (c) servers that differ only
 * in `observability` — off, on without an SDK, on with an SDK's metrics, on with metrics and
 * traces (metrics read every second and spans batched, both exported to a sink that drops them;
 * the async context manager the docs register for traces). Windows interleave as in
 * every comparison, so the ratios come from one run on one machine state.
 */
export const observabilityWorkload: Workload = {
  id: 'observability',
  title: { en: 'Echo with observability', zh: '开启可观测性的回显' },
  params: ({ echo }) => ({
    en: `(c) only, ${echo.clients} clients × ${echo.depth} requests in flight; ${VARIANTS.map((v) => v.en).join(' / ')}`,
    zh: `仅 (c)，${echo.clients} 个客户端 × 每个 ${echo.depth} 个并发请求；${VARIANTS.map((v) => v.zh).join(' / ')}`,
  }),
  async run(ctx) {
    const { echo } = ctx.profile;
    const all = await ctx.compare(
      async (target, session) => {
        const rig: Rig = { servers: [], probes: {} };
        for (const { variant } of VARIANTS) {
          const server = await session.startServer(target, { observability: variant }, `server ${target} observability ${variant}`);
          const generator = await session.startGenerator(`generator ${variant}`);
          await generator.setup('echo', { urls: [server.url], clients: echo.clients, depth: echo.depth, payloadBytes: 32, client: ctx.clientOptions(target) });
          rig.servers.push(server);
          rig.probes[variant] = { servers: [server], generators: [generator] };
        }
        return rig;
      },
      (probe) => `round-trips, observability ${probe}`,
      ['c'],
      // The differences sought are a few percent: three one-second windows are not enough to see them.
      ctx.profile.name === 'quick' ? ctx.profile.rounds : OBSERVABILITY_ROUNDS,
    );
    const off = probeOf(all, 'off');
    const offCpu = off.c?.ok ? off.c.metrics.cpuPerOpUs! : NaN;
    const rows = VARIANTS.map(({ variant, en, zh }) => {
      const outcomes = probeOf(all, variant);
      const cpu = outcomes.c?.ok ? outcomes.c.metrics.cpuPerOpUs! : NaN;
      const ratio = cpu / offCpu;
      return row(
        {
          id: `observability.${variant}.cpu`,
          workload: 'observability',
          label: { en: `echo + ack, ${en}: server CPU per message (c only)`, zh: `回显 + ack，${zh}：每条消息的服务器 CPU（仅 c）` },
          unit: 'us',
          better: 'lower',
          ...(variant === 'off' ? {} : { note: { en: `×${ratio.toFixed(2)} of observability off`, zh: `为可观测性关闭时的 ×${ratio.toFixed(2)}` } }),
        },
        outcomes,
        (m) => m.cpuPerOpUs!,
      );
    });
    return { rows, raw: Object.fromEntries(VARIANTS.map(({ variant }) => [variant, rawOf(probeOf(all, variant))])) };
  },
};
