import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const docs = join(dirname(fileURLToPath(import.meta.url)), '../../../docs');

/** The options tables themselves are checked by docs-options.spec.ts. */
describe.each(['guide/configuration.md', 'zh-CN/guide/configuration.md'])('%s', (page) => {
  const text = readFileSync(join(docs, page), 'utf8');

  it('documents isGlobal', () => {
    expect(text).toContain('`isGlobal`');
  });
});

/** Every runtime export of the package and its subpaths has a row in the API reference. */
describe.each(['guide/api.md', 'zh-CN/guide/api.md'])('%s', (page) => {
  const text = readFileSync(join(docs, page), 'utf8');

  it.each([
    ['@nestjs-realtime/core', () => import('../src/index.js')],
    ['@nestjs-realtime/core/testing', () => import('../src/testing/index.js')],
    ['@nestjs-realtime/core/ws', () => import('../src/ws/index.js')],
  ] as const)('lists every export of %s', async (_entry, load) => {
    const missing = Object.keys(await load()).filter((name) => !text.includes(`\`${name}`));
    expect(missing).toEqual([]);
  });
});
