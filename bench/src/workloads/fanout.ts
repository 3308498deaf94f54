import { probeOf, rawOf, row, type Workload } from './workload.js';

/** One member of a room sends, the server broadcasts to every member. */
export const fanoutWorkload: Workload = {
  id: 'fanout',
  title: { en: 'Room fan-out', zh: '房间广播' },
  params: ({ fanout }) => ({
    en: `room of ${fanout.receivers} clients, one of them sends msgToRoom, ${fanout.window} messages in flight`,
    zh: `房间内 ${fanout.receivers} 个客户端，其中一个发送 msgToRoom，同时 ${fanout.window} 条在途`,
  }),
  async run(ctx) {
    const { fanout } = ctx.profile;
    const all = await ctx.compare(
      async (target, session) => {
        const server = await session.startServer(target);
        const generator = await session.startGenerator();
        await generator.setup('fanout', {
          urls: [server.url],
          receivers: fanout.receivers,
          window: fanout.window,
          room: 'bench-fanout',
          client: ctx.clientOptions(target),
        });
        return { servers: [server], probes: { fanout: { generators: [generator] } } };
      },
      () => 'deliveries',
    );
    const outcomes = probeOf(all, 'fanout');
    const label = (en: string, zh: string) => ({ en: `fan-out to ${fanout.receivers}: ${en}`, zh: `广播至 ${fanout.receivers} 人：${zh}` });
    return {
      rows: [
        row({ id: 'fanout.rate', workload: 'fanout', label: label('deliveries/s', '投递数/秒'), unit: 'per-s', better: 'higher' }, outcomes, (m) => m.rate!),
        row(
          { id: 'fanout.cpu', workload: 'fanout', label: label('server CPU per delivery', '每次投递的服务器 CPU'), unit: 'us', better: 'lower' },
          outcomes,
          (m) => m.cpuPerOpUs!,
        ),
      ],
      raw: rawOf(outcomes),
    };
  },
};
