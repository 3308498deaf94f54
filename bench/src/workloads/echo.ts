import type { Transport } from '../targets/targets.js';
import { probeOf, rawOf, row, type Workload } from './workload.js';

/** What differs between the Socket.IO and the native WebSocket echo. */
const WORDING = {
  'socket.io': {
    id: 'echo',
    title: { en: 'Echo with ack', zh: '带 ack 的回显' },
    what: { en: 'small JSON payload', zh: '小 JSON 负载' },
    label: { en: 'echo + ack', zh: '回显 + ack' },
  },
  ws: {
    id: 'ws-echo',
    title: { en: 'Native WebSocket echo', zh: '原生 WebSocket 回显' },
    what: { en: 'small JSON payload, one { event, data } frame each way', zh: '小 JSON 负载，每个方向一个 { event, data } 帧' },
    label: { en: 'native ws echo', zh: '原生 ws 回显' },
  },
} as const;

/** Echo answered by the server (an ack, or a reply frame): the cost of one request/response through each stack. */
function echoOver(transport: Transport): Workload {
  const words = WORDING[transport];
  return {
    id: words.id,
    title: words.title,
    transport,
    params: ({ echo }) => ({
      en: `${echo.clients} clients × ${echo.depth} requests in flight, ${words.what.en}`,
      zh: `${echo.clients} 个客户端 × 每个 ${echo.depth} 个并发请求，${words.what.zh}`,
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
      const label = (en: string, zh: string) => ({ en: `${words.label.en}: ${en}`, zh: `${words.label.zh}：${zh}` });
      const id = words.id;
      return {
        rows: [
          row({ id: `${id}.rate`, workload: id, label: label('round-trips/s', '往返次数/秒'), unit: 'per-s', better: 'higher' }, outcomes, (m) => m.rate!),
          row({ id: `${id}.p50`, workload: id, label: label('p50 latency', 'p50 延迟'), unit: 'ms', better: 'lower' }, outcomes, (m) => m.p50Ms!),
          row({ id: `${id}.p99`, workload: id, label: label('p99 latency', 'p99 延迟'), unit: 'ms', better: 'lower' }, outcomes, (m) => m.p99Ms!),
          row(
            { id: `${id}.cpu`, workload: id, label: label('server CPU per message', '每条消息的服务器 CPU'), unit: 'us', better: 'lower' },
            outcomes,
            (m) => m.cpuPerOpUs!,
          ),
        ],
        raw: rawOf(outcomes),
      };
    },
  };
}

/** Echo with a Socket.IO ack. */
export const echoWorkload = echoOver('socket.io');

/** The same echo over native WebSocket: a `{ event, data }` frame answered by a frame. */
export const wsEchoWorkload = echoOver('ws');
