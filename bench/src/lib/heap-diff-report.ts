import { HeapKinds } from './heap-kinds.js';
import type { HeapSnapshot } from './heap-snapshot.js';

/** What N connections added of one kind of object, per connection. */
export interface KindDiff {
  kind: string;
  /** Bytes per connection: the objects' own size plus their backing stores. */
  bytes: number;
  /** Objects per connection. */
  count: number;
  /** Who holds the new objects of this kind (the most common paths), with the share of them each path holds. */
  heldBy: { path: string; share: number }[];
}

export interface HeapDiff {
  connections: number;
  /** Sum of every kind's bytes per connection (the snapshots' total, after − before, ÷ N). */
  totalPerConnection: number;
  kinds: KindDiff[];
}

interface Tally {
  count: number;
  bytes: number;
}

/**
 * Per kind of object, what `after` holds more than `before` (snapshots of the same process,
 * `connections` apart), ranked by bytes per connection; for the top `detail` kinds, who holds
 * the new objects. V8 object ids are stable within a process, so only what changed counts:
 * objects new in `after` (named in `after`), objects gone since `before` (named in `before`),
 * and objects whose size changed. An object that merely moved to another holder never shows.
 */
export function diffSnapshots(before: HeapSnapshot, after: HeapSnapshot, connections: number, detail = 40): HeapDiff {
  const beforeNames = new HeapKinds(before);
  const afterNames = new HeapKinds(after);
  const tallies = new Map<string, Tally>();
  const add = (kind: string, bytes: number, count: number) => {
    let t = tallies.get(kind);
    if (!t) tallies.set(kind, (t = { count: 0, bytes: 0 }));
    t.bytes += bytes;
    t.count += count;
  };
  const beforeById = new Map<number, number>();
  for (let n = 0; n < before.nodeCount; n++) beforeById.set(before.id(n), n);
  const afterIds = new Set<number>();
  const fresh: number[] = [];
  for (let n = 0; n < after.nodeCount; n++) {
    const id = after.id(n);
    afterIds.add(id);
    const old = beforeById.get(id);
    const bytes = after.selfSize(n) - (old === undefined ? 0 : before.selfSize(old));
    if (old === undefined) fresh.push(n);
    if (bytes === 0 && old !== undefined) continue;
    const owner = afterNames.owner(n);
    add(afterNames.key(owner), bytes, old === undefined && owner === n ? 1 : 0);
  }
  for (let n = 0; n < before.nodeCount; n++) {
    if (afterIds.has(before.id(n))) continue;
    const owner = beforeNames.owner(n);
    add(beforeNames.key(owner), -before.selfSize(n), owner === n ? -1 : 0);
  }
  const kinds: KindDiff[] = [...tallies]
    .map(([kind, t]) => ({ kind, bytes: t.bytes / connections, count: t.count / connections, heldBy: [] as KindDiff['heldBy'] }))
    .filter((k) => k.bytes !== 0 || k.count !== 0)
    .sort((x, y) => y.bytes - x.bytes);
  const totalPerConnection = kinds.reduce((sum, k) => sum + k.bytes, 0);

  const detailed = new Map(kinds.slice(0, detail).map((k) => [k.kind, k]));
  const paths = new Map<string, Map<string, number>>();
  for (const n of fresh) {
    if (afterNames.owner(n) !== n) continue;
    const kind = afterNames.key(n);
    if (!detailed.has(kind)) continue;
    let byPath = paths.get(kind);
    if (!byPath) paths.set(kind, (byPath = new Map()));
    const path = afterNames.path(n);
    byPath.set(path, (byPath.get(path) ?? 0) + 1);
  }
  for (const [kind, byPath] of paths) {
    const total = [...byPath.values()].reduce((a, b) => a + b, 0);
    detailed.get(kind)!.heldBy = [...byPath]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 2)
      .map(([path, count]) => ({ path, share: count / total }));
  }
  return { connections, totalPerConnection, kinds };
}

const bytes = (n: number) => n.toFixed(0).padStart(6);
const per = (n: number) => n.toFixed(2).padStart(6);

/** The top `top` kinds, one per line, with who holds them. */
export function formatDiff(diff: HeapDiff, top: number): string {
  const lines = [`  total ${diff.totalPerConnection.toFixed(0)} bytes per connection`, '   B/conn  obj/conn  kind  ⟵ held by'];
  for (const k of diff.kinds.slice(0, top)) {
    // A kind named by its holder (`Array ‹Socket.rooms›`) needs no second path.
    const held = k.kind.includes('‹') ? '' : k.heldBy.map((h) => `${h.path}${h.share < 0.99 ? ` (${Math.round(h.share * 100)}%)` : ''}`).join(' | ');
    lines.push(`  ${bytes(k.bytes)}  ${per(k.count)}  ${k.kind}${held ? `  ⟵ ${held}` : ''}`);
  }
  return lines.join('\n');
}

/** Kind by kind, what `target` adds per connection over `base` (the raw library), largest first. */
export function formatVersus(target: HeapDiff, base: HeapDiff, top: number): string {
  const baseBytes = new Map(base.kinds.map((k) => [k.kind, k]));
  const rows = target.kinds.map((k) => ({ k, base: baseBytes.get(k.kind)?.bytes ?? 0 }));
  for (const k of base.kinds) if (!target.kinds.some((t) => t.kind === k.kind)) rows.push({ k: { ...k, bytes: 0, count: 0, heldBy: [] }, base: k.bytes });
  rows.sort((x, y) => y.k.bytes - y.base - (x.k.bytes - x.base));
  const lines = [
    `  total ${target.totalPerConnection.toFixed(0)} vs ${base.totalPerConnection.toFixed(0)} bytes per connection: +${(target.totalPerConnection - base.totalPerConnection).toFixed(0)}`,
    '    extra   target     raw  kind',
  ];
  for (const { k, base: b } of rows.slice(0, top)) lines.push(`  ${bytes(k.bytes - b)}  ${bytes(k.bytes)}  ${bytes(b)}  ${k.kind}`);
  return lines.join('\n');
}
