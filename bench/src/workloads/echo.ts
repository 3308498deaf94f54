import { probeOf, rawOf, row, type Workload } from './workload.js';

/** Echo with an ack: the cost of one request/response through each stack. */
export const echoWorkload: Workload = {
  id: 'echo',
  title: { en: 'Echo with ack', zh: '带 ack 的回显' },
  params: ({ echo }) => ({
    en: `${echo.clients} clients × ${echo.depth} requests in flight, small JSON payload`,
    zh: `${echo.clients} 个客户端 × 每个 ${echo.depth} 个并发请求，小 JSON 负载`,
  }),
  async run(ctx) {
    const { echo } = ctx.profile;
    const all = await ctx.compare(
      async (target, session) => {
        const server = await session.startServer(target);
        const generator = await session.startGenerator();
        await generator.setup('echo', {
          urls: [server.url],
          clients: echo.clients,
          depth: echo.depth,
          payloadBytes: 32,
          client: ctx.clientOptions(target),
        });
        return { servers: [server], probes: { echo: { generators: [generator] } } };
      },
      () => 'round-trips',
    );
    const outcomes = probeOf(all, 'echo');
    const label = (en: string, zh: string) => ({ en: `echo + ack: ${en}`, zh: `回显 + ack：${zh}` });
    return {
      rows: [
        row({ id: 'echo.rate', workload: 'echo', label: label('round-trips/s', '往返次数/秒'), unit: 'per-s', better: 'higher' }, outcomes, (m) => m.rate!),
        row({ id: 'echo.p50', workload: 'echo', label: label('p50 latency', 'p50 延迟'), unit: 'ms', better: 'lower' }, outcomes, (m) => m.p50Ms!),
        row({ id: 'echo.p99', workload: 'echo', label: label('p99 latency', 'p99 延迟'), unit: 'ms', better: 'lower' }, outcomes, (m) => m.p99Ms!),
        row(
          { id: 'echo.cpu', workload: 'echo', label: label('server CPU per message', '每条消息的服务器 CPU'), unit: 'us', better: 'lower' },
          outcomes,
          (m) => m.cpuPerOpUs!,
        ),
      ],
      raw: rawOf(outcomes),
    };
  },
};
