import { fileURLToPath } from 'node:url';
import type { Profile } from '../config.js';
import { Child, ChildError } from '../lib/children.js';
import { addOwnPid, MachineLoad, otherLoadSamples, removeOwnPid } from '../lib/machine-load.js';
import { median, percentile, sleep } from '../lib/stats.js';
import type { ClientOptions } from '../load/clients.js';
import type { PatternName } from '../load/generator.js';
import type { LoadWindow } from '../load/load-pattern.js';
import type { Cell, Localized, ResultRow } from '../report/results.js';
import { BENCH_SECRET, type ServerConfig } from '../targets/server-config.js';
import type { CpuWindow, MemorySample, ServerReady } from '../targets/server-control.js';
import { TARGETS_BY_TRANSPORT, type Target, type TargetId, type Transport } from '../targets/targets.js';

/**
 * A benchmark workload: runs the same load against each target and returns rows of the table.
 * Add one by writing a file in this folder and listing it in `index.ts`.
 */
export interface Workload {
  /** Used by `--only`. */
  id: string;
  title: Localized;
  /** Which servers fill the columns: the Socket.IO targets, or the native WebSocket ones. @default 'socket.io' */
  transport?: Transport;
  /** The parameters a profile gives it, in words (shown with the results). */
  params(profile: Profile): Localized;
  run(ctx: RunContext): Promise<WorkloadOutput>;
}

export interface WorkloadOutput {
  rows: ResultRow[];
  raw: Record<string, unknown>;
}

const GENERATOR_ENTRY = fileURLToPath(new URL('../load/generator.js', import.meta.url));
const REDIS_KEEPER_ENTRY = fileURLToPath(new URL('../lib/redis-keeper.js', import.meta.url));
const REDIS_CLUSTER_KEEPER_ENTRY = fileURLToPath(new URL('../lib/redis-cluster-keeper.js', import.meta.url));

/** A target server running in its own process. */
export class ServerHandle {
  constructor(
    readonly target: TargetId,
    readonly child: Child,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  cpuStart(): Promise<void> {
    return this.child.call('cpuStart');
  }

  cpuStop(): Promise<CpuWindow> {
    return this.child.call('cpuStop');
  }

  /** Memory after a full GC. */
  memory(): Promise<MemorySample> {
    return this.child.call('memory');
  }

  connections(): Promise<number> {
    return this.child.call('connections');
  }

  /** Writes a heap snapshot of the server (after a full GC) to `file`. */
  heapSnapshot(file: string): Promise<string> {
    return this.child.call('heapSnapshot', [file], 300_000);
  }
}

/** A load generator process running one load pattern. */
export class GeneratorHandle {
  constructor(readonly child: Child) {}

  setup(pattern: PatternName, params: object): Promise<number> {
    return this.child.call('setup', [pattern, params], 180_000);
  }

  start(): Promise<void> {
    return this.child.call('start');
  }

  mark(): Promise<void> {
    return this.child.call('mark');
  }

  collect(): Promise<LoadWindow> {
    return this.child.call('collect');
  }

  pause(): Promise<void> {
    return this.child.call('pause', [], 60_000);
  }

  stop(): Promise<void> {
    return this.child.call('stop', [], 60_000);
  }

  invoke<T>(method: string, ...args: unknown[]): Promise<T> {
    return this.child.call('invoke', [method, ...args], 180_000);
  }
}

/** How children are run. */
export interface RunOptions {
  /** Forward every child's output. */
  verbose: boolean;
  /** Write a V8 CPU profile of every server process here (servers then shut down gracefully). */
  cpuProfDir?: string;
}

/** Everything one measurement started; all of it is killed when the measurement ends, failed or not. */
export class Session {
  private readonly children: Child[] = [];
  private readonly servers: ServerHandle[] = [];
  private readonly redisPids: number[] = [];

  constructor(
    private readonly options: RunOptions,
    private readonly transport: Transport = 'socket.io',
  ) {}

  private get verbose(): boolean {
    return this.options.verbose;
  }

  /** Starts a target server (with --expose-gc, for memory measurements) and waits until it listens. */
  async startServer(target: TargetId, config: Partial<ServerConfig> = {}, name = `server ${target}${this.transport === 'ws' ? ' ws' : ''}`): Promise<ServerHandle> {
    const full: ServerConfig = { parser: 'json', secret: BENCH_SECRET, ...config };
    const child = this.track(
      Child.fork(TARGETS_BY_TRANSPORT[this.transport][target].entry, {
        name,
        env: { BENCH_SERVER: JSON.stringify(full), NODE_ENV: 'production' },
        execArgv: [
          '--expose-gc',
          ...(this.options.cpuProfDir
            ? ['--cpu-prof', `--cpu-prof-dir=${this.options.cpuProfDir}`, `--cpu-prof-name=${name.replace(/[^\w#-]+/g, '_')}-${Date.now()}.cpuprofile`]
            : []),
        ],
        verbose: this.verbose,
      }),
    );
    const ready = (await child.waitFor('ready', 60_000)) as unknown as ServerReady;
    const server = new ServerHandle(target, child, ready.port);
    this.servers.push(server);
    return server;
  }

  async startGenerator(name = 'generator'): Promise<GeneratorHandle> {
    const child = this.track(Child.fork(GENERATOR_ENTRY, { name, env: { NODE_ENV: 'production' }, verbose: this.verbose }));
    await child.waitFor('ready');
    return new GeneratorHandle(child);
  }

  /** A throwaway redis-server on a free port; returns its URL. */
  async startRedis(): Promise<string> {
    const child = this.track(Child.fork(REDIS_KEEPER_ENTRY, { name: 'redis', verbose: this.verbose, stopSignal: 'SIGTERM' }));
    const ready = await child.waitFor('ready');
    // redis-server is part of the workload, not outside noise.
    const redisPid = Number(ready.pid);
    addOwnPid(redisPid);
    this.redisPids.push(redisPid);
    return String(ready.url);
  }

  /** A throwaway Redis Cluster (3 masters, a replica each); returns its nodes' URLs. */
  async startRedisCluster(): Promise<string[]> {
    const child = this.track(Child.fork(REDIS_CLUSTER_KEEPER_ENTRY, { name: 'redis cluster', verbose: this.verbose, stopSignal: 'SIGTERM' }));
    const ready = await child.waitFor('ready', 60_000);
    // Its nodes are part of the workload, not outside noise.
    for (const pid of ready.pids as number[]) {
      addOwnPid(pid);
      this.redisPids.push(pid);
    }
    return ready.urls as string[];
  }

  private track(child: Child): Child {
    this.children.push(child);
    return child;
  }

  /** Generators first (their clients go away), then servers, then Redis. */
  async close(): Promise<void> {
    if (this.options.cpuProfDir) {
      // A profile is written on a normal exit only: ask the servers to shut down first.
      await Promise.allSettled(this.servers.map((server) => server.child.call('shutdown', [], 10_000)));
      await sleep(500);
    }
    for (const child of this.children.reverse()) await child.kill();
    this.children.length = 0;
    this.servers.length = 0;
    for (const pid of this.redisPids.splice(0)) removeOwnPid(pid);
  }
}

/** What one measured window gave, merged over the servers and generators involved. */
export interface Measured {
  /** Completed operations per second (generator clock). */
  rate: number;
  count: number;
  errors: number;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU (all servers) per completed operation, in microseconds. */
  cpuPerOpUs: number;
  /** Server CPU as a share of one core, summed over servers (1 = one core busy). */
  serverCpu: number;
  /** Generator CPU as a share of one core, summed over generators. */
  generatorCpu: number;
  /** Cores kept busy by processes outside this run during the window (noise). */
  otherCpu: number;
  extra: Record<string, number>;
}

/**
 * One measured window: start the load → warm up → open the window on servers and generators at
 * once → wait → close it → pause the load (connections stay open for the next round).
 */
export async function measure(servers: ServerHandle[], generators: GeneratorHandle[], warmupMs: number, windowMs: number): Promise<Measured> {
  await Promise.all(generators.map((generator) => generator.start()));
  await sleep(warmupMs);
  const machine = new MachineLoad();
  await Promise.all([...servers.map((server) => server.cpuStart()), ...generators.map((generator) => generator.mark())]);
  machine.begin();
  await sleep(windowMs);
  const otherCpu = machine.end();
  const [cpu, windows] = await Promise.all([
    Promise.all(servers.map((server) => server.cpuStop())),
    Promise.all(generators.map((generator) => generator.collect())),
  ]);
  await Promise.all(generators.map((generator) => generator.pause()));
  const measured = merge(cpu, windows);
  measured.otherCpu = otherCpu;
  if (Number.isFinite(measured.otherCpu)) otherLoadSamples.push(measured.otherCpu);
  return measured;
}

function merge(cpu: CpuWindow[], windows: LoadWindow[]): Measured {
  const count = sum(windows.map((w) => w.count));
  const elapsedMs = Math.max(...windows.map((w) => w.elapsedMs));
  const latencies = concat(windows.map((w) => w.latenciesMs ?? new Float64Array()));
  const serverCpuUs = sum(cpu.map((c) => c.cpuUs));
  const extra: Record<string, number> = {};
  for (const window of windows) for (const [key, value] of Object.entries(window.extra ?? {})) extra[key] = (extra[key] ?? 0) + value;
  return {
    rate: count / (elapsedMs / 1000),
    count,
    errors: sum(windows.map((w) => w.errors)),
    elapsedMs,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuPerOpUs: count ? serverCpuUs / count : Number.NaN,
    serverCpu: sum(cpu.map((c) => c.cpuUs / 1000 / c.elapsedMs)),
    generatorCpu: sum(windows.map((w) => w.cpuUs / 1000 / w.elapsedMs)),
    otherCpu: Number.NaN,
    extra,
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function concat(arrays: Float64Array[]): Float64Array {
  const out = new Float64Array(sum(arrays.map((a) => a.length)));
  let offset = 0;
  for (const array of arrays) {
    out.set(array, offset);
    offset += array.length;
  }
  return out;
}

/** A target's numbers for one workload, or why there are none. */
export type TargetOutcome<M> = { ok: true; metrics: M } | { ok: false; na: Localized; error: string };

/** Numbers of one probe of one target: `Measured` flattened (extra counters become `extra_<key>`), median over rounds. */
export type Metrics = Record<string, number>;

/**
 * What a workload sets up for one target before any measurement: its servers, and one or more
 * probes (named sets of generators, e.g. one per payload size), each measured on its own.
 */
export interface Rig {
  servers: ServerHandle[];
  probes: Record<string, { generators: GeneratorHandle[]; servers?: ServerHandle[] }>;
}

/** What workloads get from the runner. */
export class RunContext {
  constructor(
    readonly profile: Profile,
    readonly targets: TargetId[],
    readonly options: RunOptions,
    /** Rows of the workloads that ran before this one (e.g. single-instance fan-out for the cluster row). */
    readonly previousRows: ResultRow[],
    /** Which servers the targets are. */
    readonly transport: Transport = 'socket.io',
  ) {}

  /** The server behind a column, for this context's transport. */
  target(id: TargetId): Target {
    return TARGETS_BY_TRANSPORT[this.transport][id];
  }

  log(line: string): void {
    process.stdout.write(`  ${line}\n`);
  }

  /** How a generator's clients talk to this target: its parser, and a token when it requires one. */
  clientOptions(target: TargetId, parser: 'json' | 'msgpack' = 'json'): ClientOptions {
    return {
      parser,
      ...(this.transport === 'ws' ? { transport: 'ws' as const } : {}),
      ...(this.target(target).requiresToken ? { secret: BENCH_SECRET } : {}),
    };
  }

  /**
   * The comparison every throughput workload uses. Sets up every target at once (each in its
   * own processes), then measures `profile.rounds` rounds; each round gives every probe of every
   * target one short window, interleaved (a b c, then b c a, then c a b…), so a burst of outside
   * load hits every target alike and no target always goes first. Each number is the median
   * over rounds. A target whose setup or measurement fails gets n/a cells with the
   * reason; the others go on. `describe` names the operation in progress lines.
   */
  async compare(
    setup: (target: TargetId, session: Session) => Promise<Rig>,
    describeOp: (probe: string) => string,
    targets: TargetId[] = this.targets,
    /** More rounds than the profile's, for a row whose ratios are small (the median steadies). */
    rounds: number = this.profile.rounds,
  ): Promise<Partial<Record<TargetId, TargetOutcome<Record<string, Metrics>>>>> {
    const sessions = new Map<TargetId, Session>();
    const rigs = new Map<TargetId, Rig>();
    const failures = new Map<TargetId, { na: Localized; error: string }>();
    const runs = new Map<TargetId, Record<string, Metrics[]>>();
    const fail = async (target: TargetId, error: unknown) => {
      failures.set(target, this.failure(target, error));
      rigs.delete(target);
      await sessions.get(target)?.close();
    };
    try {
      for (const target of targets) {
        const session = new Session(this.options, this.transport);
        sessions.set(target, session);
        try {
          rigs.set(target, await setup(target, session));
          runs.set(target, {});
        } catch (error) {
          await fail(target, error);
        }
      }
      const probes = [...new Set([...rigs.values()].flatMap((rig) => Object.keys(rig.probes)))];
      // Round-major: every (probe, target) pair gets one window per round, so a burst of outside
      // load spreads over all of them instead of skewing one.
      for (let round = 0; round < rounds; round++) {
        const warmupMs = round === 0 ? this.profile.warmupMs : this.profile.rewarmMs;
        // Rotate the order each round (a b c, b c a, c a b…): no target always runs first or last.
        const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
        for (const probe of probes) {
          for (const target of order) {
            const rig = rigs.get(target);
            const probeRig = rig?.probes[probe];
            if (!rig || !probeRig) continue;
            try {
              const m = await measure(probeRig.servers ?? rig.servers, probeRig.generators, warmupMs, this.profile.measureMs);
              (runs.get(target)![probe] ??= []).push(flatten(m));
              if (this.options.verbose) this.log(`round ${round + 1}: ${describe(this.target(target), m, describeOp(probe))}`);
            } catch (error) {
              await fail(target, error);
            }
          }
        }
      }
      for (const probe of probes) {
        for (const target of targets) {
          const samples = runs.get(target)?.[probe];
          if (samples?.length && !failures.has(target)) this.log(describe(this.target(target), medianOf(samples), describeOp(probe)));
        }
      }
    } finally {
      for (const session of sessions.values()) await session.close();
    }
    const out: Partial<Record<TargetId, TargetOutcome<Record<string, Metrics>>>> = {};
    for (const target of targets) {
      const failure = failures.get(target);
      if (failure) out[target] = { ok: false, ...failure };
      else out[target] = { ok: true, metrics: Object.fromEntries(Object.entries(runs.get(target) ?? {}).map(([probe, samples]) => [probe, medianOf(samples)])) };
    }
    return out;
  }

  /**
   * Runs `fn` for each target in turn, each in a fresh session killed afterwards (for
   * measurements that need the machine to themselves, like memory). A failing target gets n/a.
   */
  async isolated<M extends Metrics>(
    fn: (target: TargetId, session: Session) => Promise<M>,
    targets: TargetId[] = this.targets,
  ): Promise<Partial<Record<TargetId, TargetOutcome<M>>>> {
    const out: Partial<Record<TargetId, TargetOutcome<M>>> = {};
    for (const target of targets) {
      const session = new Session(this.options, this.transport);
      try {
        out[target] = { ok: true, metrics: await fn(target, session) };
      } catch (error) {
        out[target] = { ok: false, ...this.failure(target, error) };
      } finally {
        await session.close();
      }
    }
    return out;
  }

  private failure(target: TargetId, error: unknown): { na: Localized; error: string } {
    const unsupported = error instanceof ChildError ? error.unsupported : undefined;
    const message = error instanceof Error ? error.message : String(error);
    this.log(`${this.target(target).name}: ${unsupported ? `n/a: ${unsupported}` : `FAILED: ${message}`}`);
    return {
      error: message,
      na: unsupported
        ? { en: `n/a: ${unsupported}`, zh: `不适用：${unsupported}` }
        : { en: `failed: ${firstLine(message)}`, zh: `失败：${firstLine(message)}` },
    };
  }
}

/** One probe's metrics of each target, for `row()`. */
export function probeOf(
  outcomes: Partial<Record<TargetId, TargetOutcome<Record<string, Metrics>>>>,
  probe: string,
): Partial<Record<TargetId, TargetOutcome<Metrics>>> {
  const out: Partial<Record<TargetId, TargetOutcome<Metrics>>> = {};
  for (const [target, outcome] of Object.entries(outcomes) as [TargetId, TargetOutcome<Record<string, Metrics>>][]) {
    if (!outcome.ok) out[target] = outcome;
    else if (outcome.metrics[probe]) out[target] = { ok: true, metrics: outcome.metrics[probe] };
  }
  return out;
}

function flatten(m: Measured): Metrics {
  const { extra, ...rest } = m;
  return { ...rest, ...Object.fromEntries(Object.entries(extra).map(([key, value]) => [`extra_${key}`, value])) };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 160);
}

function medianOf<M extends Record<string, number>>(runs: M[]): M {
  if (runs.length === 1) return runs[0]!;
  const out: Record<string, number> = {};
  for (const key of Object.keys(runs[0]!)) out[key] = median(runs.map((run) => run[key]!));
  return out as M;
}

/** Above this many cores used by other processes during a row's windows, the row is flagged as noisy. */
export const NOISY_OTHER_CORES = 0.3;

/** One row from per-target outcomes: `pick` chooses the metric. Rows measured on a busy machine say so. */
export function row<M extends Metrics>(
  spec: Omit<ResultRow, 'cells'>,
  outcomes: Partial<Record<TargetId, TargetOutcome<M>>>,
  pick: (metrics: M) => number,
): ResultRow {
  const cells: Partial<Record<TargetId, Cell>> = {};
  const others: number[] = [];
  const notes: Localized[] = spec.note ? [spec.note] : [];
  for (const [target, outcome] of Object.entries(outcomes) as [TargetId, TargetOutcome<M>][]) {
    if (outcome.ok) {
      const value = pick(outcome.metrics);
      cells[target] = Number.isFinite(value) ? { value } : { value: null, na: { en: 'n/a', zh: '不适用' } };
      if (Number.isFinite(outcome.metrics.otherCpu)) others.push(outcome.metrics.otherCpu!);
      // Failed operations (error acks, refused handshakes, lost broadcasts) per window, median.
      const errors = outcome.metrics.errors ?? 0;
      if (errors > 0) notes.push({ en: `(${target}) ${Math.round(errors)} failed operations per window`, zh: `(${target}) 每个窗口 ${Math.round(errors)} 次操作失败` });
    } else {
      cells[target] = { value: null, na: outcome.na };
    }
  }
  const other = others.length ? Math.max(...others) : 0;
  if (other > NOISY_OTHER_CORES) {
    notes.push({
      en: `noisy: other processes used up to ${other.toFixed(1)} cores during these windows`,
      zh: `有噪声：这些窗口期间其他进程最多占用 ${other.toFixed(1)} 个核`,
    });
  }
  if (!notes.length) return { ...spec, cells };
  return { ...spec, cells, note: { en: notes.map((n) => n.en).join('; '), zh: notes.map((n) => n.zh).join('；') } };
}

/** Metrics of each target that succeeded, for the JSON file. */
export function rawOf<M>(outcomes: Partial<Record<TargetId, TargetOutcome<M>>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(outcomes).map(([target, outcome]) => [target, outcome!.ok ? outcome!.metrics : { error: outcome!.error }]),
  );
}

/** A progress line: the headline numbers of one target's measurement. */
export function describe(target: Target, m: Measured | Metrics, what: string): string {
  const parts = [
    `${Math.round(m.rate).toLocaleString('en-US')} ${what}/s`,
    Number.isFinite(m.p50Ms) ? `p50 ${m.p50Ms.toFixed(2)} ms` : '',
    Number.isFinite(m.p99Ms) ? `p99 ${m.p99Ms.toFixed(2)} ms` : '',
    Number.isFinite(m.cpuPerOpUs) ? `${m.cpuPerOpUs.toFixed(1)} µs server CPU/op` : '',
    `server ${(m.serverCpu! * 100).toFixed(0)}% · generator ${(m.generatorCpu! * 100).toFixed(0)}% of a core`,
    Number.isFinite(m.otherCpu) ? `other processes ${m.otherCpu!.toFixed(1)} cores` : '',
    m.errors ? `${m.errors} errors` : '',
  ];
  return `${target.name}: ${parts.filter(Boolean).join(' · ')}`;
}
