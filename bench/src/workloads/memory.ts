import { sleep } from '../lib/stats.js';
import { TARGETS } from '../targets/targets.js';
import { rawOf, row, type Workload } from './workload.js';

/** Server memory per idle connection: (after − before) / N, both after forced GC. */
async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition()) && Date.now() < deadline) await sleep(50);
}

export const memoryWorkload: Workload = {
  id: 'memory',
  title: { en: 'Memory per idle connection', zh: '每个空闲连接的内存' },
  params: ({ memory }) => ({
    en: `${memory.connections} idle WebSocket clients (for (c): authenticated, in their user room); server heap and RSS after global.gc(), before and after connecting`,
    zh: `${memory.connections} 个空闲 WebSocket 客户端（(c) 已认证并在各自的用户房间中）；连接前后各在 global.gc() 之后测量服务器堆与 RSS`,
  }),
  async run(ctx) {
    const { memory } = ctx.profile;
    const outcomes = await ctx.isolated(async (target, session) => {
      const server = await session.startServer(target);
      const generator = await session.startGenerator();
      await generator.setup('idle', { url: server.url, count: memory.connections, concurrency: memory.concurrency, client: ctx.clientOptions(target) });
      // A few connections first, gone before the baseline: lazily created state (modules, JIT
      // code, caches) is then not billed to the N connections.
      await generator.invoke('connect', 50);
      await generator.invoke('disconnect');
      await waitFor(async () => (await server.connections()) === 0);
      const before = await server.memory();
      const connected = await generator.invoke<number>('connect');
      await waitFor(async () => (await server.connections()) === memory.connections);
      await sleep(500);
      const seen = await server.connections();
      if (connected !== memory.connections || seen !== memory.connections) {
        throw new Error(`expected ${memory.connections} connections, generator has ${connected}, server sees ${seen}`);
      }
      const after = await server.memory();
      const n = memory.connections;
      const metrics = {
        heapPerConn: (after.heapUsed - before.heapUsed) / n,
        rssPerConn: (after.rss - before.rss) / n,
        externalPerConn: (after.external - before.external) / n,
        heapBefore: before.heapUsed,
        rssBefore: before.rss,
      };
      ctx.log(
        `${TARGETS[target].name}: ${(metrics.heapPerConn / 1024).toFixed(1)} KiB heap, ${(metrics.rssPerConn / 1024).toFixed(1)} KiB RSS per connection (${n} connections)`,
      );
      return metrics;
    });
    const label = (en: string, zh: string) => ({ en: `idle connection: ${en}`, zh: `空闲连接：${zh}` });
    return {
      rows: [
        row({ id: 'memory.heap', workload: 'memory', label: label('heap per connection', '每连接堆内存'), unit: 'bytes', better: 'lower' }, outcomes, (m) => m.heapPerConn),
        row({ id: 'memory.rss', workload: 'memory', label: label('RSS per connection', '每连接 RSS'), unit: 'bytes', better: 'lower' }, outcomes, (m) => m.rssPerConn),
      ],
      raw: rawOf(outcomes),
    };
  },
};
