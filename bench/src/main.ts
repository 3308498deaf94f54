/**
 * `pnpm bench`: runs every workload against (a) raw Socket.IO, (b) a plain Nest gateway on
 * IoAdapter and (c) the same gateway on RealtimeIoAdapter with the module's features on (native
 * WebSocket workloads: (a) raw `ws`, (b) Nest's WsAdapter, (c) RealtimeWsAdapter); each server in
 * its own process, the load in separate generator processes. Prints a table of ratios to (a),
 * writes results/latest.json and the results section of docs/guide/performance.md.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './config.js';
import { installCleanupHooks, killAllChildren } from './lib/children.js';
import { describeMachine, machineInfo, round2 } from './machine.js';
import { rewriteSection, resultsSection } from './report/docs.js';
import { allRows, formatDuration, textTable } from './report/format.js';
import type { BenchResults, ResultRow, WorkloadResult } from './report/results.js';
import { TARGET_IDS } from './targets/targets.js';
import { WORKLOADS } from './workloads/index.js';
import { otherLoadSamples } from './lib/machine-load.js';
import { RunContext } from './workloads/workload.js';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = fileURLToPath(new URL('../..', import.meta.url));

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2), process.env);
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.list) {
    for (const workload of WORKLOADS) process.stdout.write(`${workload.id.padEnd(10)} ${workload.title.en}: ${workload.params(options.profile).en}\n`);
    return 0;
  }
  const unknown = (options.only ?? []).filter((id) => !WORKLOADS.some((w) => w.id === id));
  if (unknown.length) {
    process.stderr.write(`Unknown workload(s): ${unknown.join(', ')}. Known: ${WORKLOADS.map((w) => w.id).join(', ')}\n`);
    return 2;
  }
  if (!existsSync(`${repoDir}packages/core/dist/index.js`)) {
    process.stderr.write('packages/core/dist is missing: run `pnpm build` at the repository root first (pnpm bench does it).\n');
    return 2;
  }
  installCleanupHooks();

  const selected = options.only ? WORKLOADS.filter((w) => options.only!.includes(w.id)) : WORKLOADS;
  const complete = selected.length === WORKLOADS.length;
  const { profile } = options;
  const machine = machineInfo();
  process.stdout.write(`nestjs-realtime benchmark (${profile.name}${complete ? '' : `, only ${selected.map((w) => w.id).join(',')}`})\n`);
  process.stdout.write(`${describeMachine(machine)}\n\n`);

  const cpuProfDir = options.cpuProf ? `${benchDir}results/profiles` : undefined;
  if (cpuProfDir) {
    mkdirSync(cpuProfDir, { recursive: true });
    process.stdout.write(`CPU profiles of every server process go to ${cpuProfDir} (profiling slows the servers: ratios are not comparable)\n\n`);
  }
  const startedAt = performance.now();
  const results: WorkloadResult[] = [];
  const rows: ResultRow[] = [];
  for (const workload of selected) {
    process.stdout.write(`▶ ${workload.id}: ${workload.title.en} — ${workload.params(profile).en}\n`);
    const workloadStart = performance.now();
    const ctx = new RunContext(profile, TARGET_IDS, { verbose: options.verbose, cpuProfDir }, rows, workload.transport);
    try {
      const output = await workload.run(ctx);
      rows.push(...output.rows);
      results.push({ id: workload.id, title: workload.title, transport: workload.transport, params: workload.params(profile), rows: output.rows, raw: output.raw, durationMs: performance.now() - workloadStart });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stdout.write(`  FAILED: ${message}\n`);
      results.push({ id: workload.id, title: workload.title, transport: workload.transport, params: workload.params(profile), rows: [], raw: {}, error: message, durationMs: performance.now() - workloadStart });
    }
    process.stdout.write(`  (${((performance.now() - workloadStart) / 1000).toFixed(1)} s)\n`);
  }
  const durationMs = performance.now() - startedAt;
  machine.loadAverage.end = round2(loadavg()[0]!);
  if (otherLoadSamples.length) {
    machine.otherProcessesCores = {
      mean: round2(otherLoadSamples.reduce((a, b) => a + b, 0) / otherLoadSamples.length),
      max: round2(Math.max(...otherLoadSamples)),
    };
  }

  const bench: BenchResults = {
    mode: profile.name,
    workloads: selected.map((w) => w.id),
    machine,
    profile: { ...profile },
    durationMs,
    results,
  };
  const failed = results.some((r) => r.error) || allRows(bench).some((row) => Object.values(row.cells).some((cell) => cell?.na?.en.startsWith('failed')));

  process.stdout.write(`\n${textTable(allRows(bench))}\n\n`);
  process.stdout.write(
    '↑ higher is better, ↓ lower is better; ratios are value/(a): for ↑ rows below 1 means slower than the raw library (Socket.IO; ws in native ws rows), for ↓ rows above 1 means more expensive.\n',
  );

  const official = profile.name === 'full' && complete && !cpuProfDir;
  mkdirSync(`${benchDir}results`, { recursive: true });
  const jsonFile = `${benchDir}results/${official ? 'latest.json' : 'dev.json'}`;
  writeFileSync(jsonFile, `${JSON.stringify(bench, null, 2)}\n`);
  process.stdout.write(`Results: ${jsonFile}\n`);

  const updateDocs = options.docs ?? (official && !failed);
  if (updateDocs) {
    for (const [lang, file] of [
      ['en', `${repoDir}docs/guide/performance.md`],
      ['zh', `${repoDir}docs/zh-CN/guide/performance.md`],
    ] as const) {
      if (!existsSync(file)) process.stdout.write(`Docs: ${file} not found, skipped\n`);
      else if (rewriteSection(file, resultsSection(bench, lang))) process.stdout.write(`Docs: rewrote the results section of ${file}\n`);
      else process.stdout.write(`Docs: ${file} has no results markers, skipped\n`);
    }
  } else {
    process.stdout.write(
      `Docs: not rewritten (${options.docs === false ? '--no-docs' : !official ? 'quick or partial run; --docs forces it' : 'a workload failed; --docs forces it'})\n`,
    );
  }
  process.stdout.write(`Load average: ${machine.loadAverage.start} at start, ${machine.loadAverage.end} at the end\n`);
  if (machine.otherProcessesCores) {
    const { mean, max } = machine.otherProcessesCores;
    process.stdout.write(
      `Other processes used ${mean} of ${machine.cores} cores on average during the measured windows (worst window ${max})` +
        `${mean > 0.3 ? ': the machine was busy, expect noisy numbers' : ''}\n`,
    );
  }
  process.stdout.write(`Total: ${formatDuration(durationMs)}\n`);
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    killAllChildren();
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    killAllChildren();
    process.exit(1);
  },
);
