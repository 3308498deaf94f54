import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { realtimeOptionGroup } from '../src/options/resolve-realtime-options.js';
import { authOptionGroup } from '../src/options/resolve-auth-options.js';
import { redisOptionGroup } from '../src/options/resolve-redis-options.js';
import {
  OPTION_TABLES,
  descriptionsOf,
  literal,
  renderOptionTables,
  renderTable,
  tablesOf,
  type DocumentedOption,
  type Locale,
} from './support/option-tables.js';

const docs = join(dirname(fileURLToPath(import.meta.url)), '../../../docs');

/**
 * The Configuration page's options tables are the option declarations, printed: a change to an
 * option's key, type, default or doc line fails here until the pages are regenerated with
 * `pnpm --filter @nestjs-realtime/core docs:options` (zh-CN keeps its hand-translated descriptions).
 */
describe.each([
  ['guide/configuration.md', 'en'],
  ['zh-CN/guide/configuration.md', 'zh-CN'],
] as const)('%s', (page, locale: Locale) => {
  const path = join(docs, page);
  const text = readFileSync(path, 'utf8');

  it('has every options table once, in declaration order', () => {
    expect(tablesOf(text)).toEqual(OPTION_TABLES.map((table) => table.name));
  });

  it('prints each table from the option declarations', async () => {
    await expect(renderOptionTables(text, locale)).toMatchFileSnapshot(path);
  });

  if (locale !== 'en') {
    it('translates the description of every option', () => {
      const translated = descriptionsOf(text);
      const untranslated = OPTION_TABLES.flatMap((table) =>
        Object.entries(table.options)
          .map(([key, option]) => [`${table.prefix}${key}`, option.doc.text] as const)
          .filter(([name, english]) => (translated.get(name) ?? english) === english)
          .map(([name]) => name),
      );
      expect(untranslated).toEqual([]);
    });
  }
});

it('the two module tables hold every option of forRoot()', () => {
  const tabled = OPTION_TABLES.filter((table) => table.prefix === '').flatMap((table) => Object.keys(table.options));
  expect(tabled.sort()).toEqual([...realtimeOptionGroup.keys].sort());
});

/** Guides and the README repeat some defaults in their own short tables: those must say the same. */
describe.each([
  ['../README.md', realtimeOptionGroup.specs],
  ['guide/authentication.md', authOptionGroup.specs],
  ['zh-CN/guide/authentication.md', authOptionGroup.specs],
  ['guide/scaling.md', redisOptionGroup.specs],
  ['zh-CN/guide/scaling.md', redisOptionGroup.specs],
] as const)('%s', (page, specs: Record<string, DocumentedOption>) => {
  const rows = readFileSync(join(docs, page), 'utf8')
    .split('\n')
    .map((line) => /^\| `(\w+)` \| (.*?) \|/.exec(line))
    .filter((row) => row !== null && row[1]! in specs && literal(specs[row[1]!]!.default) !== undefined);

  it('gives each plain default as its declaration does', () => {
    expect(rows.length).toBeGreaterThan(4);
    for (const [, key, cell] of rows as RegExpExecArray[]) expect(cell, key).toContain(`\`${literal(specs[key!]!.default)}\``);
  });
});

describe('renderTable', () => {
  const table = {
    name: 'example',
    prefix: 'example.',
    options: {
      timeoutMs: { default: 10_000, doc: { type: '`number` (ms)', text: 'The deadline.' } },
      mode: { default: 'fast', doc: { type: '`string`', text: 'How.' } },
      points: { required: true as const, doc: { type: '`number`', text: 'Messages.' } },
      url: { doc: { type: '`string`', text: 'Where.' } },
    },
  };

  it('prints keys with their prefix, types, defaults as a user writes them, and the doc line', () => {
    expect(renderTable(table, 'en')).toBe(
      [
        '| Option | Type | Default | What it does |',
        '| --- | --- | --- | --- |',
        '| `example.timeoutMs` | `number` (ms) | `10000` | The deadline. |',
        "| `example.mode` | `string` | `'fast'` | How. |",
        '| `example.points` | `number` | required | Messages. |',
        '| `example.url` | `string` | not set | Where. |',
      ].join('\n'),
    );
  });

  it('prints zh-CN cells in Chinese and keeps the translated descriptions it is given', () => {
    const rows = renderTable(table, 'zh-CN', new Map([['example.mode', '方式。']])).split('\n');
    expect(rows[0]).toBe('| 选项 | 类型 | 默认值 | 作用 |');
    expect(rows[2]).toBe('| `example.timeoutMs` | `number`（毫秒） | `10000` | The deadline. |');
    expect(rows[3]).toBe("| `example.mode` | `string` | `'fast'` | 方式。 |");
    expect(rows[4]).toBe('| `example.points` | `number` | 必填 | Messages. |');
  });

  it('refuses a default it cannot print, and a cell with no zh-CN wording', () => {
    const object = { name: 'x', prefix: '', options: { drain: { default: {}, doc: { type: 'object', text: '.' } } } };
    expect(() => renderTable(object, 'en')).toThrow(/"drain": its default is no plain value/);
    const unknownWord = { name: 'x', prefix: '', options: { size: { default: 1, doc: { type: '`number` (pages)', text: '.' } } } };
    expect(() => renderTable(unknownWord, 'zh-CN')).toThrow(/No zh-CN wording for the table cell "`number` \(pages\)"/);
  });
});
