import type { TargetId, Transport } from '../targets/targets.js';

/** Text in both docs languages. */
export interface Localized {
  en: string;
  zh: string;
}

/** One target's value in a row; `value: null` with `na` when it could not be measured. */
export interface Cell {
  value: number | null;
  na?: Localized;
}

/** One line of the results table. Ratios are computed when rendering: (b)/(a) and (c)/(a). */
export interface ResultRow {
  id: string;
  workload: string;
  label: Localized;
  /** How values are shown: a rate, a duration, a size. */
  unit: 'per-s' | 'us' | 'ms' | 'bytes';
  better: 'higher' | 'lower';
  cells: Partial<Record<TargetId, Cell>>;
  note?: Localized;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  socketIo: string;
  nest: string;
  core: string;
  commit?: string;
  date: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews the numbers. */
  loadAverage: { start: number; end?: number };
  /** Cores other processes kept busy during the measured windows (from /proc/stat): mean and worst window. */
  otherProcessesCores?: { mean: number; max: number };
}

export interface WorkloadResult {
  id: string;
  title: Localized;
  /** Whose servers fill its rows' columns (absent: Socket.IO). */
  transport?: Transport;
  /** The parameters this run used (client counts, sizes…), shown next to the table. */
  params: Localized;
  rows: ResultRow[];
  durationMs: number;
  error?: string;
  /** Every number the workload measured, per target, for whoever wants more than the table. */
  raw: Record<string, unknown>;
}

export interface BenchResults {
  mode: 'full' | 'quick';
  workloads: string[];
  machine: MachineInfo;
  profile: Record<string, unknown>;
  durationMs: number;
  results: WorkloadResult[];
}
