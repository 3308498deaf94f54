import type { Profile } from '../config.js';
import type { ResultRow } from '../report/results.js';
import type { TargetId } from '../targets/targets.js';
import { probeOf, rawOf, row, type Metrics, type Rig, type TargetOutcome, type Workload } from './workload.js';

type Parser = 'json' | 'msgpack';

/**
 * Echo round-trips per payload size, with Socket.IO's default JSON parser or with
 * `socket.io-msgpack-parser` (clients use the same parser). One server per target, every size
 * measured in turn on it.
 */
function payloadWorkload(parser: Parser): Workload {
  const id = parser === 'json' ? 'payload' : 'msgpack';
  const tag = parser === 'json' ? '' : 'msgpack ';
  return {
    id,
    title:
      parser === 'json'
        ? { en: 'Payload sizes', zh: '负载大小' }
        : { en: 'Payload sizes, msgpack parser', zh: '负载大小（msgpack 解析器）' },
    params: (profile: Profile) => ({
      en:
        `echo of a string of ${profile.payloads.map((p) => `${p.label} (${p.clients}×${p.depth} in flight)`).join(', ')}` +
        (parser === 'msgpack'
          ? "; (a) new Server({ parser }), (b) @WebSocketGateway({ parser }), (c) RealtimeModule.forRoot({ parser: 'msgpack' })"
          : ''),
      zh:
        `回显字符串负载：${profile.payloads.map((p) => `${p.label}（${p.clients}×${p.depth} 并发）`).join('、')}` +
        (parser === 'msgpack'
          ? "；(a) new Server({ parser })，(b) @WebSocketGateway({ parser })，(c) RealtimeModule.forRoot({ parser: 'msgpack' })"
          : ''),
    }),
    async run(ctx) {
      const { payloads } = ctx.profile;
      const all = await ctx.compare(
        async (target: TargetId, session) => {
          const server = await session.startServer(target, { parser });
          const probes: Rig['probes'] = {};
          for (const payload of payloads) {
            const generator = await session.startGenerator(`generator ${payload.label}`);
            await generator.setup('echo', {
              urls: [server.url],
              clients: payload.clients,
              depth: payload.depth,
              payloadBytes: payload.bytes,
              client: ctx.clientOptions(target, parser),
            });
            probes[String(payload.bytes)] = { generators: [generator] };
          }
          return { servers: [server], probes };
        },
        (probe) => `${tag}${payloads.find((p) => String(p.bytes) === probe)?.label ?? probe} round-trips`,
      );
      const rows: ResultRow[] = payloads.map((payload) => {
        const outcomes = probeOf(all, String(payload.bytes));
        return row(
          {
            id: `${id}.${payload.bytes}`,
            workload: id,
            label: {
              en: `${tag}echo ${payload.label}: round-trips/s`,
              zh: `${tag}回显 ${payload.label}：往返次数/秒`,
            },
            unit: 'per-s',
            better: 'higher',
            note: parser === 'msgpack' ? versusJson(ctx.previousRows, payload.bytes, outcomes) : undefined,
          },
          outcomes,
          (m) => m.rate!,
        );
      });
      return { rows, raw: Object.fromEntries(payloads.map((p) => [p.label, rawOf(probeOf(all, String(p.bytes)))])) };
    },
  };
}

/** msgpack vs JSON of the same target and size, when the JSON payload workload ran first. */
function versusJson(previous: ResultRow[], bytes: number, outcomes: Partial<Record<TargetId, TargetOutcome<Metrics>>>) {
  const json = previous.find((r) => r.id === `payload.${bytes}`);
  if (!json) return undefined;
  const parts: string[] = [];
  for (const [target, outcome] of Object.entries(outcomes) as [TargetId, TargetOutcome<Metrics>][]) {
    const base = json.cells[target]?.value;
    if (outcome.ok && base) parts.push(`${target} ×${(outcome.metrics.rate! / base).toFixed(2)}`);
  }
  if (!parts.length) return undefined;
  return { en: `vs JSON parser: ${parts.join(', ')}`, zh: `相对 JSON 解析器：${parts.join('，')}` };
}

export const payloadJsonWorkload = payloadWorkload('json');
export const payloadMsgpackWorkload = payloadWorkload('msgpack');
