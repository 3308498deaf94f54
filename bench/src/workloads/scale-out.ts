import type { TargetId } from '../targets/targets.js';
import { startCrossInstanceFanout, valuesOf, versusNote } from './cross-instance.js';
import { probeOf, rawOf, row, type Rig, type Workload } from './workload.js';

/** (b) is left out: (a) is the floor, (c) the module; each instance count costs a full set of servers per target. */
const SCALE_OUT_TARGETS: TargetId[] = ['a', 'c'];

/**
 * How the cost of a cross-instance fan-out grows with instances: the cluster workload's room,
 * spread over 2, 3, 4… instances joined by Redis pub/sub (each count with a redis-server of its
 * own, so idle instances of another count get no broadcasts). Every instance receives every
 * message from Redis and delivers it to its share of the room.
 */
export const scaleOutWorkload: Workload = {
  id: 'scale-out',
  title: { en: 'Fan-out over more instances (Redis pub/sub)', zh: '多实例广播（Redis pub/sub）' },
  params: ({ scaleOut }) => ({
    en:
      `(a) and (c) only, ${scaleOut.instances.join(', ')} instances + redis-server (pub/sub adapter: (a) @socket.io/redis-adapter, (c) RealtimeModule.forRoot({ redis: { url } })), ` +
      `room of ${scaleOut.receivers} clients split over them, sender on the first, ${scaleOut.window} messages in flight; all instances share this machine's cores`,
    zh:
      `仅 (a) 和 (c)，${scaleOut.instances.join('、')} 个实例 + redis-server（pub/sub 适配器：(a) @socket.io/redis-adapter，(c) RealtimeModule.forRoot({ redis: { url } })），` +
      `房间内 ${scaleOut.receivers} 个客户端分布在各实例上，发送者在第一个实例，同时 ${scaleOut.window} 条在途；所有实例共用本机的 CPU 核`,
  }),
  async run(ctx) {
    const { scaleOut } = ctx.profile;
    const all = await ctx.compare(
      async (target, session) => {
        const rig: Rig = { servers: [], probes: {} };
        for (const instances of scaleOut.instances) {
          rig.probes[instances] = await startCrossInstanceFanout(ctx, session, target, {
            instances,
            config: { redisUrl: await session.startRedis() },
            receivers: scaleOut.receivers,
            window: scaleOut.window,
            room: `bench-scale-out-${instances}`,
            name: `${instances} instances`,
          });
        }
        return rig;
      },
      (probe) => `deliveries over ${probe} instances`,
      SCALE_OUT_TARGETS,
    );
    const [fewest] = scaleOut.instances;
    const base = probeOf(all, String(fewest));
    const rows = scaleOut.instances.flatMap((instances) => {
      const outcomes = probeOf(all, String(instances));
      const versusFewest = (key: string) =>
        instances === fewest ? undefined : versusNote(valuesOf(outcomes, key), valuesOf(base, key), { en: `vs ${fewest} instances`, zh: `相对 ${fewest} 个实例` });
      const label = (en: string, zh: string) => ({
        en: `${instances} instances via Redis pub/sub, fan-out to ${scaleOut.receivers}: ${en}`,
        zh: `经 Redis pub/sub 的 ${instances} 个实例，广播至 ${scaleOut.receivers} 人：${zh}`,
      });
      return [
        row(
          { id: `scale-out.${instances}.rate`, workload: 'scale-out', label: label('deliveries/s', '投递数/秒'), unit: 'per-s', better: 'higher', note: versusFewest('rate') },
          outcomes,
          (m) => m.rate!,
        ),
        row(
          {
            id: `scale-out.${instances}.cpu`,
            workload: 'scale-out',
            label: label('server CPU per delivery (all instances)', '每次投递的服务器 CPU（所有实例合计）'),
            unit: 'us',
            better: 'lower',
            note: versusFewest('cpuPerOpUs'),
          },
          outcomes,
          (m) => m.cpuPerOpUs!,
        ),
      ];
    });
    return { rows, raw: Object.fromEntries(scaleOut.instances.map((instances) => [instances, rawOf(probeOf(all, String(instances)))])) };
  },
};
