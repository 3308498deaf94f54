import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Busy and total CPU time of the whole machine so far (Linux /proc/stat), in clock ticks. */
interface CpuTicks {
  busy: number;
  total: number;
}

function readTicks(): CpuTicks | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** CPU ticks (user + system) a process used so far, 0 when it is gone. */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Every process of this run: the orchestrator, its children, and the redis-servers they own. */
const ownPids = new Set<number>([process.pid]);

export function addOwnPid(pid: number | undefined): void {
  if (pid) ownPids.add(pid);
}

export function removeOwnPid(pid: number | undefined): void {
  if (pid) ownPids.delete(pid);
}

/**
 * How many cores processes *outside* this run kept busy between begin() and end(): the whole
 * machine's busy time (/proc/stat) minus what the run's own processes used.
 */
export class MachineLoad {
  private start?: CpuTicks;
  private ownStart = 0;

  private ownTicks(): number {
    let ticks = 0;
    for (const pid of ownPids) ticks += processTicks(pid);
    return ticks;
  }

  begin(): void {
    this.start = readTicks();
    this.ownStart = this.ownTicks();
  }

  /** Cores used by other processes on average since begin(), or NaN where /proc is unavailable. */
  end(): number {
    const end = readTicks();
    const own = this.ownTicks() - this.ownStart;
    if (!this.start || !end || end.total === this.start.total) return Number.NaN;
    const otherTicks = Math.max(0, end.busy - this.start.busy - own);
    return (otherTicks / (end.total - this.start.total)) * cpus().length;
  }
}

/** Cores used by other processes during every measured window of the run, to judge the noise. */
export const otherLoadSamples: number[] = [];
