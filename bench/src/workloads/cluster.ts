import type { Localized, ResultRow } from '../report/results.js';
import type { TargetId } from '../targets/targets.js';
import { startCrossInstanceFanout, valuesOf, versusRow } from './cross-instance.js';
import { probeOf, rawOf, row, type Metrics, type Rig, type TargetOutcome, type Workload } from './workload.js';

/** The sharded adapter on a Redis Cluster should deliver at least this share of what it does on one redis-server. */
export const CLUSTER_TARGET_RATIO = 0.9;

/** Rounds of the full profile: the cluster/single ratio is judged against a threshold 10 % away, three windows swing more. */
const CLUSTER_ROUNDS = 5;

/**
 * Fan-out across two instances of the same target joined by the Redis adapter (pub/sub): the
 * sender is on instance A, the room's members are spread over A and B. (c) also runs it with
 * the sharded adapter, on one redis-server and on a Redis Cluster, in the same rounds: the ratio
 * of the two is what running on a cluster costs.
 */
export const clusterWorkload: Workload = {
  id: 'cluster',
  title: { en: 'Cross-instance fan-out (Redis adapter)', zh: '跨实例广播（Redis 适配器）' },
  params: ({ cluster }) => ({
    en:
      `2 instances + redis-server, room of ${cluster.receivers} clients split over both, sender on the first, ${cluster.window} messages in flight; ` +
      "(a) @socket.io/redis-adapter, (b) Nest's documented RedisIoAdapter, (c) RealtimeModule.forRoot({ redis: { url } }) (Redis presence store); " +
      "(c) also with redis.adapter 'sharded' on one redis-server, and on a throwaway Redis Cluster (3 masters and a replica each, redis.cluster.nodes); (a) and (b) do not run the sharded rows",
    zh:
      `2 个实例 + redis-server，房间内 ${cluster.receivers} 个客户端平均分布在两个实例上，发送者在第一个实例，同时 ${cluster.window} 条在途；` +
      '(a) @socket.io/redis-adapter，(b) Nest 文档中的 RedisIoAdapter，(c) RealtimeModule.forRoot({ redis: { url } })（Redis 在线状态存储）；' +
      "(c) 另以 redis.adapter 'sharded' 分别在单个 redis-server 和临时 Redis Cluster（3 个主节点，各带一个副本，redis.cluster.nodes）上运行；(a) 和 (b) 不运行 sharded 各行",
  }),
  async run(ctx) {
    const { cluster } = ctx.profile;
    const fanout = { instances: 2, receivers: cluster.receivers, window: cluster.window, room: 'bench-cluster' };
    const all = await ctx.compare(
      async (target, session) => {
        const pubsub = await startCrossInstanceFanout(ctx, session, target, { ...fanout, config: { redisUrl: await session.startRedis() }, name: 'pubsub' });
        const rig: Rig = { servers: pubsub.servers, probes: { cluster: pubsub } };
        // (c) only: the module's redis.adapter and redis.cluster options.
        if (target === 'c') {
          const single = { redisUrl: await session.startRedis(), redisAdapter: 'sharded' } as const;
          rig.probes.sharded = await startCrossInstanceFanout(ctx, session, target, { ...fanout, config: single, name: 'sharded' });
          const onCluster = { redisClusterNodes: await session.startRedisCluster(), redisAdapter: 'sharded' } as const;
          rig.probes['sharded-cluster'] = await startCrossInstanceFanout(ctx, session, target, { ...fanout, config: onCluster, name: 'sharded, Redis Cluster' });
        }
        return rig;
      },
      (probe) => ({ cluster: 'deliveries', sharded: 'deliveries (sharded adapter)', 'sharded-cluster': 'deliveries (sharded adapter, Redis Cluster)' })[probe] ?? probe,
      ctx.targets,
      ctx.profile.name === 'quick' ? ctx.profile.rounds : CLUSTER_ROUNDS,
    );
    const outcomes = probeOf(all, 'cluster');
    const comparable = cluster.receivers === ctx.profile.fanout.receivers;
    const versusSingle = (rowId: string, key: string) =>
      comparable ? versusRow(ctx.previousRows, rowId, valuesOf(outcomes, key), { en: 'vs single instance', zh: '相对单实例' }) : undefined;
    const label = (en: string, zh: string) => ({
      en: `2 instances via Redis, fan-out to ${cluster.receivers}: ${en}`,
      zh: `经 Redis 的 2 个实例，广播至 ${cluster.receivers} 人：${zh}`,
    });
    return {
      rows: [
        row(
          { id: 'cluster.rate', workload: 'cluster', label: label('deliveries/s', '投递数/秒'), unit: 'per-s', better: 'higher', note: versusSingle('fanout.rate', 'rate') },
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
            note: versusSingle('fanout.cpu', 'cpuPerOpUs'),
          },
          outcomes,
          (m) => m.cpuPerOpUs!,
        ),
        ...shardedRows(probeOf(all, 'sharded'), probeOf(all, 'sharded-cluster'), cluster.receivers),
      ],
      raw: { pubsub: rawOf(outcomes), sharded: rawOf(probeOf(all, 'sharded')), shardedCluster: rawOf(probeOf(all, 'sharded-cluster')) },
    };
  },
};

type Outcomes = Partial<Record<TargetId, TargetOutcome<Metrics>>>;

/** (c) with the sharded adapter: on one redis-server, then on the cluster with its ratio to the former. */
function shardedRows(single: Outcomes, onCluster: Outcomes, receivers: number): ResultRow[] {
  const label = (where: Localized, en: string, zh: string): Localized => ({
    en: `2 instances, sharded adapter, ${where.en}, fan-out to ${receivers}: ${en} (c only)`,
    zh: `2 个实例，sharded 适配器，${where.zh}，广播至 ${receivers} 人：${zh}（仅 c）`,
  });
  const one = { en: 'one redis-server', zh: '单个 redis-server' };
  const redisCluster = { en: 'Redis Cluster of 3 masters', zh: '3 主节点的 Redis Cluster' };
  const ratio = (key: string) => {
    const base = single.c?.ok ? single.c.metrics[key]! : NaN;
    return onCluster.c?.ok ? onCluster.c.metrics[key]! / base : NaN;
  };
  const rateRatio = ratio('rate');
  const cpuRatio = ratio('cpuPerOpUs');
  const held = rateRatio >= CLUSTER_TARGET_RATIO;
  return [
    row({ id: 'cluster.sharded.rate', workload: 'cluster', label: label(one, 'deliveries/s', '投递数/秒'), unit: 'per-s', better: 'higher' }, single, (m) => m.rate!),
    row(
      {
        id: 'cluster.sharded.cpu',
        workload: 'cluster',
        label: label(one, 'server CPU per delivery (both instances)', '每次投递的服务器 CPU（两实例合计）'),
        unit: 'us',
        better: 'lower',
      },
      single,
      (m) => m.cpuPerOpUs!,
    ),
    row(
      {
        id: 'cluster.redis-cluster.rate',
        workload: 'cluster',
        label: label(redisCluster, 'deliveries/s', '投递数/秒'),
        unit: 'per-s',
        better: 'higher',
        note: Number.isFinite(rateRatio)
          ? {
              en: `×${rateRatio.toFixed(2)} of one redis-server (target ≥ ×${CLUSTER_TARGET_RATIO}: ${held ? 'met' : 'not met'})`,
              zh: `为单个 redis-server 的 ×${rateRatio.toFixed(2)}（目标 ≥ ×${CLUSTER_TARGET_RATIO}：${held ? '达到' : '未达到'}）`,
            }
          : undefined,
      },
      onCluster,
      (m) => m.rate!,
    ),
    row(
      {
        id: 'cluster.redis-cluster.cpu',
        workload: 'cluster',
        label: label(redisCluster, 'server CPU per delivery (both instances)', '每次投递的服务器 CPU（两实例合计）'),
        unit: 'us',
        better: 'lower',
        note: Number.isFinite(cpuRatio) ? { en: `×${cpuRatio.toFixed(2)} of one redis-server`, zh: `为单个 redis-server 的 ×${cpuRatio.toFixed(2)}` } : undefined,
      },
      onCluster,
      (m) => m.cpuPerOpUs!,
    ),
  ];
}
