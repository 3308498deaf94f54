import { TARGETS } from '../targets/targets.js';
import { probeOf, rawOf, row, type Rig, type ServerHandle, type Workload } from './workload.js';

/**
 * joinRoom + leaveRoom in a loop. (a) and (b) only `socket.join()`/`leave()` (they have no
 * presence); (c) goes through PresenceService, first with the memory store, then the Redis store.
 */
export const presenceWorkload: Workload = {
  id: 'presence',
  title: { en: 'Presence join + leave', zh: '在线状态 加入 + 离开' },
  params: ({ presence }) => ({
    en:
      `${presence.clients} clients (distinct users) loop joinRoom → leaveRoom over ${presence.rooms} rooms, each acked; ` +
      '(a)/(b) plain socket.join/leave, (c) PresenceService with presence:* events, memory store, then Redis store (module redis option, redis-server on loopback)',
    zh:
      `${presence.clients} 个客户端（不同用户）在 ${presence.rooms} 个房间中循环 joinRoom → leaveRoom，每次都等 ack；` +
      '(a)/(b) 仅 socket.join/leave，(c) 经 PresenceService 并发出 presence:* 事件，先用内存存储，再用 Redis 存储（模块 redis 选项，本机 redis-server）',
  }),
  async run(ctx) {
    const { presence } = ctx.profile;
    const all = await ctx.compare(
      async (target, session) => {
        const rooms = async (server: ServerHandle) => {
          const generator = await session.startGenerator();
          await generator.setup('rooms', { url: server.url, clients: presence.clients, rooms: presence.rooms, client: ctx.clientOptions(target) });
          return generator;
        };
        const server = await session.startServer(target);
        const probes: Rig['probes'] = { memory: { generators: [await rooms(server)] } };
        // (c) only: the same with the Redis presence store (needs the module's redis option).
        if (TARGETS[target].hasPresence) {
          const redisUrl = await session.startRedis();
          const redisServer = await session.startServer(target, { redisUrl, presenceStore: 'redis' }, `server ${target} (Redis store)`);
          probes.redis = { generators: [await rooms(redisServer)], servers: [redisServer] };
        }
        return { servers: [server], probes };
      },
      (probe) => (probe === 'redis' ? 'join/leave ops (Redis store)' : 'join/leave ops'),
    );
    const memory = probeOf(all, 'memory');
    const redis = probeOf(all, 'redis');
    const memoryRate = memory.c?.ok ? memory.c.metrics.rate : undefined;
    const redisRate = redis.c?.ok ? redis.c.metrics.rate : undefined;
    const ratio = memoryRate && redisRate ? (redisRate / memoryRate).toFixed(2) : undefined;
    return {
      rows: [
        row(
          {
            id: 'presence.memory',
            workload: 'presence',
            label: {
              en: 'room join+leave ops/s ((a), (b): socket.join only; (c): presence, memory store)',
              zh: '房间 加入+离开 次数/秒（(a)、(b) 仅 socket.join；(c) 在线状态，内存存储）',
            },
            unit: 'per-s',
            better: 'higher',
          },
          memory,
          (m) => m.rate!,
        ),
        row(
          {
            id: 'presence.redis',
            workload: 'presence',
            label: { en: 'presence join+leave ops/s, Redis store (c only)', zh: '在线状态 加入+离开 次数/秒，Redis 存储（仅 c）' },
            unit: 'per-s',
            better: 'higher',
            note: ratio ? { en: `×${ratio} of the memory store`, zh: `为内存存储的 ×${ratio}` } : undefined,
          },
          redis,
          (m) => m.rate!,
        ),
      ],
      raw: { plainOrMemoryStore: rawOf(memory), redisStore: rawOf(redis) },
    };
  },
};
