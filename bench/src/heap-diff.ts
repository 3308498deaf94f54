/**
 * Where a target server's heap per idle connection goes. Boots the target as the memory workload
 * does, writes a heap snapshot with no client and one with N idle clients, and ranks what the N
 * connections added, per kind of object (constructor, or closure with its source location),
 * in bytes per connection, with what holds the new objects.
 *
 *   pnpm --filter bench build && node bench/dist/heap-diff.js [options]
 *
 *   --transport socket.io|ws   which servers (default socket.io)
 *   --targets a,c              which columns (default a,c)
 *   --connections n            idle clients (default 2000)
 *   --top n                    rows per target (default 30)
 *   --out dir                  where snapshots and the JSON report go (default bench/results/heap)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './config.js';
import { installCleanupHooks, killAllChildren } from './lib/children.js';
import { diffSnapshots, formatDiff, formatVersus, type HeapDiff } from './lib/heap-diff-report.js';
import { HeapSnapshot } from './lib/heap-snapshot.js';
import { TARGET_IDS, type TargetId, type Transport } from './targets/targets.js';
import { sampleIdle } from './workloads/idle-connections.js';
import { RunContext } from './workloads/workload.js';

interface HeapDiffOptions {
  transport: Transport;
  targets: TargetId[];
  connections: number;
  top: number;
  out: string;
}

function options(argv: string[]): HeapDiffOptions {
  const out: HeapDiffOptions = {
    transport: 'socket.io',
    targets: ['a', 'c'],
    connections: 2000,
    top: 30,
    out: fileURLToPath(new URL('../results/heap', import.meta.url)),
  };
  const args = argv.filter((arg) => arg !== '--');
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    if (value === undefined) throw new Error(`${args[i]} needs a value`);
    switch (args[i++]) {
      case '--transport':
        if (value !== 'socket.io' && value !== 'ws') throw new Error(`--transport is socket.io or ws, got ${value}`);
        out.transport = value;
        break;
      case '--targets':
        out.targets = value.split(',').map((id) => {
          if (!TARGET_IDS.includes(id as TargetId)) throw new Error(`Unknown target ${id}`);
          return id as TargetId;
        });
        break;
      case '--connections':
        out.connections = Number(value);
        break;
      case '--top':
        out.top = Number(value);
        break;
      case '--out':
        out.out = value;
        break;
      default:
        throw new Error(`Unknown option ${args[i - 1]}`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  installCleanupHooks();
  mkdirSync(opts.out, { recursive: true });
  const { profile } = parseArgs([], {});
  const ctx = new RunContext(profile, opts.targets, { verbose: false }, [], opts.transport);
  const report: Partial<Record<TargetId, HeapDiff>> = {};
  const outcomes = await ctx.isolated(async (target, session) => {
    const name = `${opts.transport === 'ws' ? 'ws-' : ''}${target}`;
    const files = await sampleIdle(ctx, target, session, opts.connections, (server, n) => server.heapSnapshot(`${opts.out}/${name}-${n}.heapsnapshot`));
    await session.close();
    const diff = diffSnapshots(HeapSnapshot.read(files.before), HeapSnapshot.read(files.after), opts.connections);
    report[target] = diff;
    process.stdout.write(`\n${ctx.target(target).name}, ${opts.connections} idle connections (${files.before} → ${files.after})\n`);
    process.stdout.write(`${formatDiff(diff, opts.top)}\n`);
    return { bytesPerConnection: diff.totalPerConnection };
  });
  for (const [target, outcome] of Object.entries(outcomes)) if (!outcome.ok) process.stdout.write(`${target}: ${outcome.error}\n`);
  const base = report.a;
  for (const target of opts.targets) {
    const diff = report[target];
    if (target === 'a' || !diff || !base) continue;
    process.stdout.write(`\n${ctx.target(target).name} versus ${ctx.target('a').name}, bytes per connection by kind:\n${formatVersus(diff, base, opts.top)}\n`);
  }
  const file = `${opts.out}/heap-diff-${opts.transport}.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nReport: ${file}\n`);
}

main().then(
  () => {
    killAllChildren();
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    killAllChildren();
    process.exit(1);
  },
);
