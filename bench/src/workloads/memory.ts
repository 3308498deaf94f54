import type { Transport } from '../targets/targets.js';
import { sampleIdle } from './idle-connections.js';
import { rawOf, row, type Workload } from './workload.js';

/** What differs between Socket.IO and native WebSocket connections. */
const WORDING = {
  'socket.io': {
    id: 'memory',
    title: { en: 'Memory per idle connection', zh: '每个空闲连接的内存' },
    clients: { en: 'idle WebSocket clients (for (c): authenticated, in their user room)', zh: '个空闲 WebSocket 客户端（(c) 已认证并在各自的用户房间中）' },
    label: { en: 'idle connection', zh: '空闲连接' },
  },
  ws: {
    id: 'ws-memory',
    title: { en: 'Memory per idle native WebSocket connection', zh: '每个空闲原生 WebSocket 连接的内存' },
    clients: { en: 'idle native WebSocket clients (for (c): authenticated by a JWT subprotocol, tracked by user)', zh: '个空闲原生 WebSocket 客户端（(c) 以 JWT 子协议认证，按用户跟踪）' },
    label: { en: 'idle native ws connection', zh: '空闲原生 ws 连接' },
  },
} as const;

/** Server memory per idle connection: (after − before) / N, both after forced GC, one target alone at a time. */
function memoryOver(transport: Transport): Workload {
  const words = WORDING[transport];
  return {
    id: words.id,
    title: words.title,
    transport,
    params: ({ memory }) => ({
      en: `${memory.connections} ${words.clients.en}; server heap and RSS after global.gc(), before and after connecting`,
      zh: `${memory.connections} ${words.clients.zh}；连接前后各在 global.gc() 之后测量服务器堆与 RSS`,
    }),
    async run(ctx) {
      const { memory } = ctx.profile;
      const outcomes = await ctx.isolated(async (target, session) => {
        const { before, after } = await sampleIdle(ctx, target, session, memory.connections, (server) => server.memory());
        const n = memory.connections;
        const metrics = {
          heapPerConn: (after.heapUsed - before.heapUsed) / n,
          rssPerConn: (after.rss - before.rss) / n,
          externalPerConn: (after.external - before.external) / n,
          heapBefore: before.heapUsed,
          rssBefore: before.rss,
        };
        ctx.log(
          `${ctx.target(target).name}: ${(metrics.heapPerConn / 1024).toFixed(1)} KiB heap, ${(metrics.rssPerConn / 1024).toFixed(1)} KiB RSS per connection (${n} connections)`,
        );
        return metrics;
      });
      const label = (en: string, zh: string) => ({ en: `${words.label.en}: ${en}`, zh: `${words.label.zh}：${zh}` });
      const id = words.id;
      return {
        rows: [
          row({ id: `${id}.heap`, workload: id, label: label('heap per connection', '每连接堆内存'), unit: 'bytes', better: 'lower' }, outcomes, (m) => m.heapPerConn),
          row({ id: `${id}.rss`, workload: id, label: label('RSS per connection', '每连接 RSS'), unit: 'bytes', better: 'lower' }, outcomes, (m) => m.rssPerConn),
        ],
        raw: rawOf(outcomes),
      };
    },
  };
}

/** Idle Socket.IO connections. */
export const memoryWorkload = memoryOver('socket.io');

/** Idle native WebSocket connections. */
export const wsMemoryWorkload = memoryOver('ws');
