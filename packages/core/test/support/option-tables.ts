import type { OptionDoc } from '../../src/config/option-group.js';
import { socketIoOptionSpecs, recoveryOptionGroup } from '../../src/options/socket-io-options.js';
import { featureOptionSpecs } from '../../src/options/resolve-realtime-options.js';
import { authOptionGroup } from '../../src/options/resolve-auth-options.js';
import { redisOptionGroup } from '../../src/options/resolve-redis-options.js';
import { presenceOptionGroup } from '../../src/options/resolve-presence-options.js';
import { rateLimitOptionGroup } from '../../src/options/resolve-rate-limit-options.js';
import { limitsOptionGroup } from '../../src/options/resolve-limits-options.js';
import { drainOptionGroup } from '../../src/options/resolve-drain-options.js';
import { observabilityOptionGroup } from '../../src/options/resolve-observability-options.js';

/** What the tables read of an option spec. */
export interface DocumentedOption {
  default?: unknown;
  defaultFrom?: unknown;
  required?: true;
  doc: OptionDoc;
}

/** One table of the Configuration page, between `<!-- options-table: name -->` and `<!-- /options-table -->`. */
export interface OptionTable {
  name: string;
  /** What the first column puts before each key, e.g. `auth.`. */
  prefix: string;
  options: Record<string, DocumentedOption>;
}

export const OPTION_TABLES: OptionTable[] = [
  { name: 'server', prefix: '', options: socketIoOptionSpecs },
  { name: 'connectionStateRecovery', prefix: 'connectionStateRecovery.', options: recoveryOptionGroup.specs },
  { name: 'module', prefix: '', options: featureOptionSpecs },
  { name: 'auth', prefix: 'auth.', options: authOptionGroup.specs },
  { name: 'redis', prefix: 'redis.', options: redisOptionGroup.specs },
  { name: 'presence', prefix: 'presence.', options: presenceOptionGroup.specs },
  { name: 'rateLimit', prefix: 'rateLimit.', options: rateLimitOptionGroup.specs },
  { name: 'limits', prefix: 'limits.', options: limitsOptionGroup.specs },
  { name: 'drain', prefix: 'drain.', options: drainOptionGroup.specs },
  { name: 'observability', prefix: 'observability.', options: observabilityOptionGroup.specs },
];

export type Locale = 'en' | 'zh-CN';

const HEADER: Record<Locale, string> = {
  en: '| Option | Type | Default | What it does |',
  'zh-CN': '| 选项 | 类型 | 默认值 | 作用 |',
};

/**
 * The zh-CN wording of every Type or Default cell that has words outside code spans. A cell made
 * of code alone (`` `number` ``, `` `['HS256']` / `['RS256']` ``) reads the same in both languages.
 */
const ZH_CELLS: Record<string, string> = {
  'not set': '未设置',
  required: '必填',
  'see below': '见下文',
  'not checked': '不检查',
  object: '对象',
  '`number` (ms)': '`number`（毫秒）',
  '`number` (bytes)': '`number`（字节）',
  '`number` (users)': '`number`（用户数）',
  '`number` (users, 1 to 1000)': '`number`（用户数，1 到 1000）',
  '`number` (users, 0 to `bigRoomUsers`)': '`number`（用户数，0 到 `bigRoomUsers`）',
  '3/4 of `bigRoomUsers`, rounded down (150)': '`bigRoomUsers` 的 3/4，向下取整（150）',
  '`number` (ms, 0 to 10000)': '`number`（毫秒，0 到 10000）',
  '`number` (ms, 1 to 10000)': '`number`（毫秒，1 到 10000）',
  '`CorsOptions` \\| delegate': '`CorsOptions` \\| 委托函数',
  'PEM `string` \\| `Buffer`': 'PEM `string` \\| `Buffer`',
  '`string` \\| `RegExp` \\| array': '`string` \\| `RegExp` \\| 数组',
  'node-redis \\| ioredis client or cluster': 'node-redis \\| ioredis 客户端或集群客户端',
  'memory, or Redis with `redis`': '内存；配置 `redis` 时为 Redis',
  "`'redis'` with `redis`, else `'memory'`": "配置 `redis` 时为 `'redis'`，否则 `'memory'`",
  "`false`, or `true` with `redis.adapter: 'streams'`": "`false`；`redis.adapter: 'streams'` 时为 `true`",
};

/** A default as a user would write it, e.g. `25000`, `'/socket.io'`, `['polling', 'websocket']`; `undefined` when it is no plain value. */
export function literal(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) {
    const entries = value.map(literal);
    return entries.every((entry) => entry !== undefined) ? `[${entries.join(', ')}]` : undefined;
  }
  return undefined;
}

/** The Default cell, in English. */
export function defaultCell(key: string, option: DocumentedOption): string {
  if (option.doc.default !== undefined) return option.doc.default;
  if (option.required) return 'required';
  if (option.default === undefined && option.defaultFrom === undefined) return 'not set';
  const text = literal(option.default);
  if (text === undefined) throw new Error(`Option "${key}": its default is no plain value; give doc.default the text the table shows.`);
  return `\`${text}\``;
}

function translate(cell: string, locale: Locale): string {
  if (locale === 'en' || !/[A-Za-z]/.test(cell.replace(/`[^`]*`/g, ''))) return cell;
  const zh = ZH_CELLS[cell];
  if (zh === undefined) throw new Error(`No zh-CN wording for the table cell ${JSON.stringify(cell)}: add it to ZH_CELLS.`);
  return zh;
}

/** The Markdown rows of a table; `descriptions` gives the hand-translated What-it-does text of a locale, by option. */
export function renderTable(table: OptionTable, locale: Locale, descriptions: ReadonlyMap<string, string> = new Map()): string {
  const rows = Object.entries(table.options).map(([key, option]) => {
    const name = `${table.prefix}${key}`;
    const text = locale === 'en' ? option.doc.text : (descriptions.get(name) ?? option.doc.text);
    return `| \`${name}\` | ${translate(option.doc.type, locale)} | ${translate(defaultCell(name, option), locale)} | ${text} |`;
  });
  return [HEADER[locale], '| --- | --- | --- | --- |', ...rows].join('\n');
}

const TABLE_BLOCK = /(<!-- options-table: (\w+) -->\n)[\s\S]*?(\n<!-- \/options-table -->)/g;

/** The option → What-it-does text of every generated row of a page. */
export function descriptionsOf(page: string): Map<string, string> {
  const descriptions = new Map<string, string>();
  for (const line of page.split('\n')) {
    // Cells are split on the pipes Markdown sees: `\|` inside a cell is text.
    const cells = line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim());
    const name = /^`([\w.]+)`$/.exec(cells[0] ?? '')?.[1];
    if (line.startsWith('| `') && cells.length === 4 && name) descriptions.set(name, cells[3]!);
  }
  return descriptions;
}

/** The page with each options table rendered again from the option declarations; the text around them is kept. */
export function renderOptionTables(page: string, locale: Locale): string {
  const descriptions = descriptionsOf(page);
  return page.replace(TABLE_BLOCK, (_block, open: string, name: string, close: string) => {
    const table = OPTION_TABLES.find((candidate) => candidate.name === name);
    if (!table) throw new Error(`Unknown options table "${name}"; known: ${OPTION_TABLES.map((t) => t.name).join(', ')}.`);
    return `${open}\n${renderTable(table, locale, descriptions)}\n${close}`;
  });
}

/** The names of the options tables a page has, in order. */
export function tablesOf(page: string): string[] {
  return [...page.matchAll(TABLE_BLOCK)].map((match) => match[2]!);
}
