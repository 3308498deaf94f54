import type { Profile } from '../config.js';
import type { JoinAcks } from '../load/big-room.load.js';
import type { Localized, ResultRow } from '../report/results.js';
import type { ServerConfig } from '../targets/server-config.js';
import { rawOf, row, type GeneratorHandle, type Metrics, type RunContext, type ServerHandle, type Session, type TargetOutcome, type Workload } from './workload.js';

/** One way of running presence in the room: the module's defaults, or settings that undo one of its bounds. */
interface Variant {
  id: string;
  label: Localized;
  config: Partial<ServerConfig>;
  redis?: boolean;
  /** Only sizes up to the burst: joins past it cost O(room) each, minutes at 5,000. */
  upToBurst?: boolean;
}

// Past any room size the bench reaches: full presence whatever the room's size.
const ALWAYS_FULL = 1_000_000_000;

const VARIANTS: Variant[] = [
  { id: 'default', label: { en: 'defaults, memory store', zh: '默认设置，内存存储' }, config: {} },
  { id: 'redis', label: { en: 'defaults, Redis store', zh: '默认设置，Redis 存储' }, config: { presenceStore: 'redis' }, redis: true },
  {
    id: 'full',
    label: { en: 'full presence forced, diffs batched', zh: '强制完整在线列表，差异批量广播' },
    config: { presence: { bigRoomUsers: ALWAYS_FULL } },
  },
  {
    id: 'per-event',
    label: { en: 'full presence, one broadcast per event (diffWindowMs: 0)', zh: '完整在线列表，每个事件广播一次（diffWindowMs: 0）' },
    config: { presence: { bigRoomUsers: ALWAYS_FULL, diffWindowMs: 0 } },
    upToBurst: true,
  },
];

const ROOM = 'big-room';
// Joins per generator call: each call must answer within the generator's RPC timeout.
const CHUNK = 500;
// After a measured step's last answer, time for the diffs still in their window to go out (a room
// in counts mode collects for presence.countsWindowMs, 1 s by default): their broadcast is part of
// what the joins cost.
const SETTLE_MS = 1200;

/**
 * (c) only: users join one room one after another up to each size, the server's CPU per join
 * measured at each; then a burst of users joins a room of the same size at once. Shows how the
 * cost of a join grows with the room, what the joiner receives, and what batching saves.
 */
export const bigRoomWorkload: Workload = {
  id: 'big-room',
  title: { en: 'Big rooms: presence join cost by room size', zh: '大房间：按房间人数的在线状态加入成本' },
  params: ({ bigRoom }) => ({
    en:
      `authenticated users join one room one after another; server CPU per join over the last fifth of the joins (at least ${bigRoom.measuredJoins}) up to ${bigRoom.sizes.join(', ')} members, ` +
      `against ${bigRoom.emptyJoins} joins into empty rooms; then ${bigRoom.burst} users join a ${bigRoom.burst}-member room at once. ` +
      VARIANTS.map((v) => v.label.en).join('; '),
    zh:
      `已认证用户依次加入同一房间；在房间达到 ${bigRoom.sizes.join('、')} 人之前最后五分之一的加入（至少 ${bigRoom.measuredJoins} 次）上测每次加入的服务器 CPU，` +
      `与 ${bigRoom.emptyJoins} 次加入空房间对比；然后 ${bigRoom.burst} 个用户同时加入一个 ${bigRoom.burst} 人的房间。` +
      VARIANTS.map((v) => v.label.zh).join('；'),
  }),
  async run(ctx) {
    checkProfile(ctx.profile);
    const rows: ResultRow[] = [];
    const raw: Record<string, unknown> = {};
    const measured: Record<string, Metrics> = {};
    for (const variant of VARIANTS) {
      const outcomes = await ctx.isolated((_target, session) => fillRoom(ctx, variant, session), ['c']);
      raw[variant.id] = rawOf(outcomes);
      if (outcomes.c?.ok) measured[variant.id] = outcomes.c.metrics;
      rows.push(...variantRows(ctx.profile, variant, outcomes));
    }
    rows.push(...comparisonRows(ctx, measured, rows));
    return { rows, raw };
  },
};

/** The room sizes a variant is measured at. */
function ownSizes({ bigRoom }: Profile, variant: Variant): number[] {
  return variant.upToBurst ? bigRoom.sizes.filter((size) => size <= bigRoom.burst) : bigRoom.sizes;
}

function checkProfile({ bigRoom }: Profile): void {
  if (!bigRoom.sizes.includes(bigRoom.burst)) throw new Error(`bigRoom.burst (${bigRoom.burst}) must be one of bigRoom.sizes: the burst joins a room of that size`);
  if (bigRoom.sizes[0]! < bigRoom.measuredJoins) throw new Error('bigRoom.measuredJoins must not exceed the smallest size');
}

/** Fills the room through every size of the variant; metrics: `empty`, `join@<size>`, `ackBytes@<size>`, `burst*`. */
async function fillRoom(ctx: RunContext, variant: Variant, session: Session): Promise<Metrics> {
  const { measuredJoins, emptyJoins, burst } = ctx.profile.bigRoom;
  const sizes = ownSizes(ctx.profile, variant);
  const redisUrl = variant.redis ? await session.startRedis() : undefined;
  const server = await session.startServer('c', { ...variant.config, ...(redisUrl ? { redisUrl } : {}) }, `server c (big room, ${variant.id})`);
  const generator = await session.startGenerator();
  const clients = Math.max(sizes.at(-1)!, 2 * burst, 2 * emptyJoins);
  ctx.log(`big room (${variant.id}): connecting ${clients} clients`);
  await generator.setup('bigRoom', { url: server.url, clients, client: ctx.clientOptions('c') });

  const metrics: Metrics = {};
  const cpuOf = async <T>(step: () => Promise<T>): Promise<{ cpuUs: number; result: T }> => {
    await server.cpuStart();
    const result = await step();
    await settle();
    return { cpuUs: (await server.cpuStop()).cpuUs, result };
  };
  // Unmeasured first: the first joins of a fresh server pay for its JIT warming up.
  await generator.invoke('joinAlone', emptyJoins, 2 * emptyJoins);
  metrics.empty = (await cpuOf(() => generator.invoke<JoinAcks>('joinAlone', 0, emptyJoins))).cpuUs / emptyJoins;
  ctx.log(`big room (${variant.id}): ${metrics.empty.toFixed(0)} µs server CPU per join into an empty room`);

  let members = 0;
  for (const size of sizes) {
    // A fifth of the size: enough joins to span several diff windows, whose broadcasts they share.
    const measured = Math.max(measuredJoins, Math.round(size / 5));
    await joinInChunks(generator, members, size - measured);
    const { cpuUs, result } = await cpuOf(() => generator.invoke<JoinAcks>('joinInTurn', ROOM, size - measured, size));
    members = size;
    metrics[`join@${size}`] = cpuUs / measured;
    metrics[`ackBytes@${size}`] = result.maxAckBytes;
    ctx.log(`big room (${variant.id}): ${size} members: ${(cpuUs / measured).toFixed(0)} µs server CPU per join, ack ≤ ${result.maxAckBytes} B`);
    if (size === burst) {
      metrics.burstCpuMs = (await runBurst(server, generator, members)) / 1000;
      metrics.burstBroadcasts = await generator.invoke<number>('watched');
      members += burst;
      ctx.log(`big room (${variant.id}): burst of ${burst}: ${metrics.burstCpuMs.toFixed(0)} ms server CPU, ${metrics.burstBroadcasts} presence broadcasts seen by a member`);
    }
  }
  return metrics;

  async function joinInChunks(gen: GeneratorHandle, from: number, to: number): Promise<void> {
    for (let start = from; start < to; start += CHUNK) await gen.invoke('joinInTurn', ROOM, start, Math.min(to, start + CHUNK));
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/** `burst` users join the room of `members` at once; returns the server CPU it took, diffs sent included. */
async function runBurst(server: ServerHandle, generator: GeneratorHandle, members: number): Promise<number> {
  // The room's first member watches what the burst makes the server broadcast to it.
  await generator.invoke('watch', 0);
  await server.cpuStart();
  await generator.invoke('joinAtOnce', ROOM, members, 2 * members);
  await settle();
  return (await server.cpuStop()).cpuUs;
}

function variantRows(profile: Profile, variant: Variant, outcomes: Partial<Record<'c', TargetOutcome<Metrics>>>): ResultRow[] {
  const { burst } = profile.bigRoom;
  const sizes = ownSizes(profile, variant);
  const empty = outcomes.c?.ok ? outcomes.c.metrics.empty : undefined;
  const label = (en: string, zh: string): Localized => ({ en: `big room, ${variant.label.en}: ${en}`, zh: `大房间，${variant.label.zh}：${zh}` });
  const rows = [
    row({ id: `big-room.${variant.id}.empty`, workload: 'big-room', label: label('server CPU per join into an empty room', '加入空房间的每次服务器 CPU'), unit: 'us', better: 'lower' }, outcomes, (m) => m.empty!),
  ];
  for (const size of sizes) {
    const perJoin = outcomes.c?.ok ? outcomes.c.metrics[`join@${size}`] : undefined;
    rows.push(
      row(
        {
          id: `big-room.${variant.id}.join@${size}`,
          workload: 'big-room',
          label: label(`server CPU per join at ${size.toLocaleString('en-US')} members`, `${size} 人时每次加入的服务器 CPU`),
          unit: 'us',
          better: 'lower',
          note: empty && perJoin ? { en: `×${(perJoin / empty).toFixed(2)} of a join into an empty room`, zh: `为加入空房间的 ×${(perJoin / empty).toFixed(2)}` } : undefined,
        },
        outcomes,
        (m) => m[`join@${size}`]!,
      ),
    );
  }
  const largest = sizes.at(-1)!;
  rows.push(
    row(
      { id: `big-room.${variant.id}.ack`, workload: 'big-room', label: label(`largest join answer at ${largest.toLocaleString('en-US')} members`, `${largest} 人时最大的加入应答`), unit: 'bytes', better: 'lower' },
      outcomes,
      (m) => m[`ackBytes@${largest}`]!,
    ),
    row(
      {
        id: `big-room.${variant.id}.burst`,
        workload: 'big-room',
        label: label(`${burst.toLocaleString('en-US')} joins at once into ${burst.toLocaleString('en-US')} members: server CPU`, `${burst} 人同时加入 ${burst} 人的房间：服务器 CPU`),
        unit: 'ms',
        better: 'lower',
        note: outcomes.c?.ok
          ? { en: `${outcomes.c.metrics.burstBroadcasts} presence broadcasts reached a member`, zh: `一名成员收到 ${outcomes.c.metrics.burstBroadcasts} 次在线状态广播` }
          : undefined,
      },
      outcomes,
      (m) => m.burstCpuMs!,
    ),
  );
  return rows;
}

/**
 * What the variants tell side by side: the burst with the defaults against per-event broadcasting
 * (a note on the defaults' burst row), and what a join adds per member already in the room against
 * a raw Socket.IO delivery (the fan-out row's (a), when it ran).
 */
function comparisonRows(ctx: RunContext, measured: Record<string, Metrics>, rows: ResultRow[]): ResultRow[] {
  const perEvent = measured['per-event']?.burstCpuMs;
  const batched = measured.default?.burstCpuMs;
  const burstRow = rows.find((r) => r.id === 'big-room.default.burst');
  if (perEvent && batched && burstRow) {
    const saving = { en: `×${(perEvent / batched).toFixed(1)} less than per-event broadcasting (target ≥ ×10)`, zh: `比逐事件广播少 ×${(perEvent / batched).toFixed(1)}（目标 ≥ ×10）` };
    burstRow.note = burstRow.note ? { en: `${burstRow.note.en}; ${saving.en}`, zh: `${burstRow.note.zh}；${saving.zh}` } : saving;
  }
  const added: ResultRow[] = [];
  const raw = ctx.previousRows.find((r) => r.id === 'fanout.cpu')?.cells.a?.value;
  for (const variant of VARIANTS.filter((v) => v.id === 'full' || v.id === 'per-event')) {
    const m = measured[variant.id];
    // Over the widest span the variant measured: batched diffs add so little per member that a narrow one is all noise.
    const sizes = ownSizes(ctx.profile, variant);
    const [small, large] = [sizes[0]!, sizes.at(-1)!];
    if (!m || large <= small) continue;
    const perMember = (m[`join@${large}`]! - m[`join@${small}`]!) / (large - small);
    added.push(
      cOnly(
        {
          id: `big-room.${variant.id}.per-member`,
          workload: 'big-room',
          label: {
            en: `big room, ${variant.label.en}: server CPU a join adds per member already in the room (${small} → ${large} members)`,
            zh: `大房间，${variant.label.zh}：每次加入为房间内每位已有成员增加的服务器 CPU（${small} → ${large} 人）`,
          },
          unit: 'us',
          better: 'lower',
          note: raw
            ? { en: `×${(perMember / raw).toFixed(2)} of a raw Socket.IO broadcast delivery, (a) in the fan-out row (target ≤ ×1.5)`, zh: `为原生 Socket.IO 一次广播投递（广播行的 (a)）的 ×${(perMember / raw).toFixed(2)}（目标 ≤ ×1.5）` }
            : { en: 'run with the fanout workload for the comparison with a raw Socket.IO delivery', zh: '与原生 Socket.IO 投递对比需同时运行 fanout 工作负载' },
        },
        perMember,
      ),
    );
  }
  return added;
}

function cOnly(spec: Omit<ResultRow, 'cells'>, value: number): ResultRow {
  return { ...spec, cells: { c: { value } } };
}
