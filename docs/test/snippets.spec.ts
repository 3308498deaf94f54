import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractSnippets } from './snippets/extract-snippets.js';
import { typecheckPages, type ModuleKind, type SnippetError } from './snippets/typecheck-snippets.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../..');
/** Under docs/ so that the generated files resolve the packages from docs/node_modules. */
const outDir = join(here, '../.snippets');
const contextDir = join(here, 'snippet-context');

const hasSnippets = (page: string) => extractSnippets(page, readFileSync(join(repo, page), 'utf8')).length > 0;
const guides = ['docs/guide', 'docs/zh-CN/guide']
  .flatMap((dir) => readdirSync(join(repo, dir)).filter((file) => file.endsWith('.md')).map((file) => `${dir}/${file}`))
  .filter(hasSnippets);
const readmes = [
  'README.md',
  ...['packages', 'examples'].flatMap((dir) => readdirSync(join(repo, dir)).map((name) => `${dir}/${name}/README.md`)),
].filter((page) => existsSync(join(repo, page)) && hasSnippets(page));
/** What `nest new` generates is CommonJS: the pages a newcomer starts from must compile there too. */
const commonJsPages = guides.filter((page) => /\/(getting-started|testing)\.md$/.test(page));

function report(errors: SnippetError[]): string {
  return errors.map((error) => `${error.page}:${error.line}  ${error.text}`).join('\n');
}

describe.each<[ModuleKind, string[]]>([
  ['esm', [...guides, ...readmes]],
  ['cjs', commonJsPages],
])('TypeScript snippets compile as %s', (kind, pages) => {
  let errors: Map<string, SnippetError[]>;
  beforeAll(() => {
    errors = typecheckPages(repo, pages, outDir, kind, contextDir);
  }, 180_000);

  it.each(pages)('%s', (page) => {
    expect(report(errors.get(page)!)).toBe('');
  });
});

describe('the snippet check', () => {
  it('finds errors in a continued file, in a variant, in a dangling continuation and in a module option', () => {
    const page = 'snippet-check.md';
    const errors = typecheckPages(join(here, 'fixtures'), [page], join(outDir, 'self-test'), 'esm', contextDir).get(page)!;
    const lines = errors.map((error) => `${error.line} ${error.text.split(' ')[0]}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        '14 TS2322', // `wrong: number = greet(…)`, line 2 of the continuation
        '26 TS2345', // greet(42) in the variant of main.ts
        '30 continues', // orphan.ts continues nothing
        '36 TS2353', // an unknown RealtimeModule option
      ]),
    );
    expect(errors).toHaveLength(4);
  }, 120_000);
});
