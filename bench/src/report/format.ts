import { COLUMNS, TARGET_IDS } from '../targets/targets.js';
import type { BenchResults, Cell, Localized, ResultRow } from './results.js';

type Lang = keyof Localized;

const group = (n: number) => Math.round(n).toLocaleString('en-US');

export function formatValue(cell: Cell | undefined, unit: ResultRow['unit']): string {
  if (!cell) return '—';
  if (cell.value === null) return 'n/a';
  const v = cell.value;
  switch (unit) {
    case 'per-s':
      return v >= 100 ? group(v) : v.toFixed(1);
    case 'us':
      return v >= 100 ? `${group(v)} µs` : `${v.toFixed(1)} µs`;
    case 'ms':
      return v >= 100 ? `${group(v)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`;
    case 'bytes':
      return `${(v / 1024).toFixed(1)} KiB`;
  }
}

/** value(target) / value(a), or undefined when either is missing. */
export function ratio(row: ResultRow, target: 'b' | 'c'): number | undefined {
  const base = row.cells.a?.value;
  const value = row.cells[target]?.value;
  if (base === null || base === undefined || value === null || value === undefined || base === 0) return undefined;
  return value / base;
}

export function formatRatio(value: number | undefined): string {
  return value === undefined ? '—' : `×${value.toFixed(2)}`;
}

/** The note column: the row's note plus why a cell is n/a. */
export function noteOf(row: ResultRow, lang: Lang): string {
  const parts: string[] = [];
  if (row.note) parts.push(row.note[lang]);
  for (const target of TARGET_IDS) {
    const na = row.cells[target]?.na;
    if (na && na.en !== 'n/a') parts.push(`(${target}) ${na[lang]}`);
  }
  return parts.join('; ');
}

const HEADERS: Record<Lang, string[]> = {
  en: ['Workload / metric', '', COLUMNS.a, COLUMNS.b, COLUMNS.c, '(b)/(a)', '(c)/(a)', 'Note'],
  zh: ['负载 / 指标', '', COLUMNS.a, COLUMNS.b, COLUMNS.c, '(b)/(a)', '(c)/(a)', '备注'],
};

function cellsOf(row: ResultRow, lang: Lang): string[] {
  return [
    row.label[lang],
    row.better === 'higher' ? '↑' : '↓',
    formatValue(row.cells.a, row.unit),
    formatValue(row.cells.b, row.unit),
    formatValue(row.cells.c, row.unit),
    formatRatio(ratio(row, 'b')),
    formatRatio(ratio(row, 'c')),
    noteOf(row, lang),
  ];
}

export function allRows(results: BenchResults): ResultRow[] {
  return results.results.flatMap((result) => result.rows);
}

/** A plain-text table for the terminal. */
export function textTable(rows: ResultRow[]): string {
  const table = [HEADERS.en, ...rows.map((row) => cellsOf(row, 'en'))];
  const widths = HEADERS.en.map((_, column) => Math.max(...table.map((cells) => [...cells[column]!].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column >= 2 && column <= 6 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)].join('\n');
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

export function markdownTable(rows: ResultRow[], lang: Lang): string {
  const head = HEADERS[lang];
  const lines = [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i >= 2 && i <= 6 ? '---:' : i === 1 ? ':-:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${cellsOf(row, lang).map(escapeCell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
