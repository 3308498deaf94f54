import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch, cpus, loadavg, release, totalmem, type } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { MachineInfo } from './report/results.js';

const benchDir = fileURLToPath(new URL('..', import.meta.url));

function versionOf(packageDir: string): string {
  try {
    return (JSON.parse(readFileSync(`${benchDir}node_modules/${packageDir}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The commit of the checkout, with `+dirty` when packages/core differs from it (read-only git). */
function commit(): string | undefined {
  const git = (args: string[]) =>
    execFileSync('git', args, { cwd: benchDir, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' }, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  try {
    const head = git(['rev-parse', '--short', 'HEAD']);
    let dirty = false;
    try {
      git(['diff', '--quiet', 'HEAD', '--', '../packages/core/src']);
    } catch {
      dirty = true;
    }
    return dirty ? `${head}+dirty` : head;
  } catch {
    return undefined;
  }
}

export function machineInfo(): MachineInfo {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown CPU',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${type()} ${release()} ${arch()}`,
    node: process.version,
    socketIo: versionOf('socket.io'),
    nest: versionOf('@nestjs/core'),
    core: versionOf('@nestjs-realtime/core'),
    commit: commit(),
    date: new Date().toISOString(),
    loadAverage: { start: round2(loadavg()[0]!) },
  };
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

export function describeMachine(m: MachineInfo): string {
  return [
    `CPU      ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB RAM`,
    `System   ${m.os}, Node ${m.node}`,
    `Versions socket.io ${m.socketIo}, @nestjs/core ${m.nest}, @nestjs-realtime/core ${m.core}${m.commit ? ` (${m.commit})` : ''}`,
    `Date     ${m.date}`,
    `Load     ${m.loadAverage.start} (1-min average at start${m.loadAverage.end !== undefined ? `; ${m.loadAverage.end} at the end` : ''}; above 0.5 the machine is busy with something else)`,
  ].join('\n');
}
