import { probeOf, rawOf, row, type Workload } from './workload.js';

/** New connections per second: (a) and (b) unauthenticated, (c) verifying a JWT at each handshake. */
export const handshakeWorkload: Workload = {
  id: 'handshake',
  title: { en: 'Handshakes', zh: '握手' },
  params: ({ handshake }) => ({
    en: `${handshake.concurrency} concurrent connect → disconnect loops, WebSocket only; (c) sends an HS256 JWT in handshake.auth, (a) and (b) send nothing`,
    zh: `${handshake.concurrency} 个并发的 连接 → 断开 循环，仅 WebSocket；(c) 在 handshake.auth 中发送 HS256 JWT，(a)、(b) 不认证`,
  }),
  async run(ctx) {
    const { handshake } = ctx.profile;
    const all = await ctx.compare(
      async (target, session) => {
        const server = await session.startServer(target);
        const generator = await session.startGenerator();
        await generator.setup('handshake', {
          url: server.url,
          concurrency: handshake.concurrency,
          users: 500,
          client: ctx.clientOptions(target),
        });
        return { servers: [server], probes: { handshake: { generators: [generator] } } };
      },
      () => 'handshakes',
    );
    const outcomes = probeOf(all, 'handshake');
    const label = (en: string, zh: string) => ({ en: `handshake (c: with JWT): ${en}`, zh: `握手（c 含 JWT）：${zh}` });
    return {
      rows: [
        row({ id: 'handshake.rate', workload: 'handshake', label: label('handshakes/s', '握手数/秒'), unit: 'per-s', better: 'higher' }, outcomes, (m) => m.rate!),
        row(
          { id: 'handshake.cpu', workload: 'handshake', label: label('server CPU per handshake', '每次握手的服务器 CPU'), unit: 'us', better: 'lower' },
          outcomes,
          (m) => m.cpuPerOpUs!,
        ),
      ],
      raw: rawOf(outcomes),
    };
  },
};
