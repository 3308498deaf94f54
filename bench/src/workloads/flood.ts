import { probeOf, rawOf, row, type Workload } from './workload.js';

/**
 * Abuse resistance, (c) only: paced echo clients' p99 latency alone, then while one more client
 * floods at `times` its rate limit (`rateLimit`, no disconnect). The limiter answers the flood
 * with RATE_LIMITED before Nest's pipeline, so the others should barely notice.
 */
export const floodWorkload: Workload = {
  id: 'flood',
  title: { en: 'Flood at 10× the rate limit', zh: '以 10 倍限流速率洪泛' },
  params: ({ flood }) => ({
    en: `(c) with rateLimit ${flood.limitPerS}/s per connection; ${flood.victims} clients each sending ${flood.victimRatePerS} echo/s; one client sending ${flood.limitPerS * flood.times}/s`,
    zh: `(c) 每连接限流 ${flood.limitPerS}/秒；${flood.victims} 个客户端各发送 ${flood.victimRatePerS} 次回显/秒；一个客户端发送 ${flood.limitPerS * flood.times}/秒`,
  }),
  async run(ctx) {
    const { flood } = ctx.profile;
    const all = await ctx.compare(
      async (target, session) => {
        const server = await session.startServer(target, { rateLimitPerS: flood.limitPerS });
        const victims = await session.startGenerator('generator victims');
        await victims.setup('echo', {
          urls: [server.url],
          clients: flood.victims,
          depth: 1,
          payloadBytes: 32,
          ratePerClient: flood.victimRatePerS,
          client: ctx.clientOptions(target),
        });
        const flooder = await session.startGenerator('generator flooder');
        await flooder.setup('flood', { urls: [server.url], ratePerS: flood.limitPerS * flood.times, client: ctx.clientOptions(target) });
        return { servers: [server], probes: { calm: { generators: [victims] }, flood: { generators: [victims, flooder] } } };
      },
      (probe) => (probe === 'calm' ? 'paced round-trips, no flood' : 'paced round-trips during the flood'),
      ['c'],
    );
    const calm = probeOf(all, 'calm');
    const flooded = probeOf(all, 'flood');
    const calmP99 = calm.c?.ok ? calm.c.metrics.p99Ms! : NaN;
    const floodP99 = flooded.c?.ok ? flooded.c.metrics.p99Ms! : NaN;
    const refused = flooded.c?.ok ? flooded.c.metrics.extra_refused ?? 0 : 0;
    const sent = flooded.c?.ok ? flooded.c.metrics.extra_sent ?? 0 : 0;
    const ratio = floodP99 / calmP99;
    return {
      rows: [
        row(
          { id: 'flood.calm.p99', workload: 'flood', label: { en: 'others\' echo p99, no flood (c only)', zh: '其他客户端回显 p99，无洪泛（仅 c）' }, unit: 'ms', better: 'lower' },
          calm,
          (m) => m.p99Ms!,
        ),
        row(
          {
            id: 'flood.flood.p99',
            workload: 'flood',
            label: { en: `others' echo p99, one client at ${flood.times}× its limit (c only)`, zh: `其他客户端回显 p99，一个客户端以 ${flood.times} 倍限额发送（仅 c）` },
            unit: 'ms',
            better: 'lower',
            note: {
              en: `×${ratio.toFixed(2)} of no flood; the flooder sent ${Math.round(sent)} and got ${Math.round(refused)} RATE_LIMITED per window`,
              zh: `为无洪泛时的 ×${ratio.toFixed(2)}；洪泛者每个窗口发送 ${Math.round(sent)} 条，收到 ${Math.round(refused)} 次 RATE_LIMITED`,
            },
          },
          flooded,
          (m) => m.p99Ms!,
        ),
      ],
      raw: { calm: rawOf(calm), flood: rawOf(flooded) },
    };
  },
};
