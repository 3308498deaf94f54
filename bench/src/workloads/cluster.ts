import type { Localized, ResultRow } from '../report/results.js';
import { TARGET_IDS, type TargetId } from '../targets/targets.js';
import { probeOf, rawOf, row, type Metrics, type TargetOutcome, type Workload } from './workload.js';

/**
 * Fan-out across two instances of the same target joined by the Redis adapter (pub/sub): the
 * sender is on instance A, the room's members are spread over A and B.
 */
export const clusterWorkload: Workload = {
  id: 'cluster',
  title: { en: 'Cross-instance fan-out (Redis adapter)', zh: '跨实例广播（Redis 适配器）' },
  params: ({ cluster }) => ({
    en:
      `2 instances + redis-server, room of ${cluster.receivers} clients split over both, sender on the first, ${cluster.window} messages in flight; ` +
      "(a) @socket.io/redis-adapter, (b) Nest's documented RedisIoAdapter, (c) RealtimeModule.forRoot({ redis: { url } }) (Redis presence store)",
    zh:
      `2 个实例 + redis-server，房间内 ${cluster.receivers} 个客户端平均分布在两个实例上，发送者在第一个实例，同时 ${cluster.window} 条在途；` +
      '(a) @socket.io/redis-adapter，(b) Nest 文档中的 RedisIoAdapter，(c) RealtimeModule.forRoot({ redis: { url } })（Redis 在线状态存储）',
  }),
  async run(ctx) {
    const { cluster } = ctx.profile;
    const all = await ctx.compare(
      async (target, session) => {
        const redisUrl = await session.startRedis();
        const first = await session.startServer(target, { redisUrl }, `server ${target}#1`);
        const second = await session.startServer(target, { redisUrl }, `server ${target}#2`);
        const generator = await session.startGenerator();
        await generator.setup('fanout', {
          urls: [first.url, second.url],
          receivers: cluster.receivers,
          window: cluster.window,
          room: 'bench-cluster',
          client: ctx.clientOptions(target),
        });
        return { servers: [first, second], probes: { cluster: { generators: [generator] } } };
      },
      () => 'deliveries',
    );
    const outcomes = probeOf(all, 'cluster');
    const comparable = cluster.receivers === ctx.profile.fanout.receivers;
    const label = (en: string, zh: string) => ({
      en: `2 instances via Redis, fan-out to ${cluster.receivers}: ${en}`,
      zh: `经 Redis 的 2 个实例，广播至 ${cluster.receivers} 人：${zh}`,
    });
    return {
      rows: [
        row(
          {
            id: 'cluster.rate',
            workload: 'cluster',
            label: label('deliveries/s', '投递数/秒'),
            unit: 'per-s',
            better: 'higher',
            note: comparable ? versusSingle(ctx.previousRows, 'fanout.rate', outcomesValue(outcomes, 'rate')) : undefined,
          },
          outcomes,
          (m) => m.rate!,
        ),
        row(
          {
            id: 'cluster.cpu',
            workload: 'cluster',
            label: label('server CPU per delivery (both instances)', '每次投递的服务器 CPU（两实例合计）'),
            unit: 'us',
            better: 'lower',
            note: comparable ? versusSingle(ctx.previousRows, 'fanout.cpu', outcomesValue(outcomes, 'cpuPerOpUs')) : undefined,
          },
          outcomes,
          (m) => m.cpuPerOpUs!,
        ),
      ],
      raw: rawOf(outcomes),
    };
  },
};

function outcomesValue(outcomes: Partial<Record<TargetId, TargetOutcome<Metrics>>>, key: string): Partial<Record<TargetId, number>> {
  const out: Partial<Record<TargetId, number>> = {};
  for (const [target, outcome] of Object.entries(outcomes) as [TargetId, TargetOutcome<Metrics>][]) {
    if (outcome.ok) out[target] = outcome.metrics[key];
  }
  return out;
}

/** This row against the single-instance fan-out row of the same run. */
function versusSingle(previous: ResultRow[], rowId: string, values: Partial<Record<TargetId, number>>): Localized | undefined {
  const single = previous.find((r) => r.id === rowId);
  if (!single) return undefined;
  const parts = TARGET_IDS.flatMap((target) => {
    const base = single.cells[target]?.value;
    const value = values[target];
    return base && value !== undefined ? [`${target} ×${(value / base).toFixed(2)}`] : [];
  });
  if (!parts.length) return undefined;
  return { en: `vs single instance: ${parts.join(', ')}`, zh: `相对单实例：${parts.join('，')}` };
}
