import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const docs = join(here, '../../../docs');
const packages = join(here, '../..');

/** The options tables themselves are checked by docs-options.spec.ts. */
describe.each(['guide/configuration.md', 'zh-CN/guide/configuration.md'])('%s', (page) => {
  const text = readFileSync(join(docs, page), 'utf8');

  it('documents isGlobal', () => {
    expect(text).toContain('`isGlobal`');
  });
});

/** Each public entry point, the source file it is built from, and where the API reference lists it. */
const entries = [
  { entry: '@nestjs-realtime/core', source: 'core/src/index.ts' },
  { entry: '@nestjs-realtime/core/ws', source: 'core/src/ws/index.ts' },
  { entry: '@nestjs-realtime/core/testing', source: 'core/src/testing/index.ts' },
  { entry: '@nestjs-realtime/client', source: 'client/src/index.ts' },
  { entry: '@nestjs-realtime/client/ws', source: 'client/src/ws.ts' },
] as const;

/**
 * Every name an entry point exports, types and interfaces included: what a user can import from
 * it. Read by the compiler from the sources (runtime `Object.keys()` would miss the types).
 */
function exportedNames(program: ts.Program, source: string): string[] {
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(join(packages, source));
  const module = file && checker.getSymbolAtLocation(file);
  if (!module) throw new Error(`${source} is not a module the compiler can read`);
  return checker.getExportsOfModule(module).map((symbol) => symbol.getName());
}

/**
 * The part of the API reference that lists `entry`: its own `## \`entry\`` section, or for the
 * main core entry everything before the first subpath's section.
 */
function sectionOf(text: string, entry: string): string {
  // zh-CN headings carry their English twin's id: `## \`…\` {#…}`.
  const heading = /^## (`@nestjs-realtime\/[^`]+`)(?: \{#[^}]+\})?$/gm;
  const starts = [...text.matchAll(heading)].map((match) => ({ at: match.index, title: `## ${match[1]}` }));
  if (entry === '@nestjs-realtime/core') return text.slice(0, starts[0]?.at ?? text.length);
  const start = starts.find((candidate) => candidate.title === `## \`${entry}\``);
  if (!start) throw new Error(`No section "## \`${entry}\`"`);
  const next = text.indexOf('\n## ', start.at + 1);
  return text.slice(start.at, next === -1 ? text.length : next);
}

/** The first cell of every table row of a section: where a row names its exports. */
function rowNames(section: string): string {
  return [...section.matchAll(/^\| (.+?) \| /gm)].map((match) => match[1]).join('\n');
}

/** A name written as code: `` `Name` ``, `` `Name()` ``, `` `Name<C>` ``, not a longer name that starts with it. */
function namedIn(cells: string, name: string): boolean {
  return new RegExp(`\`${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(cells);
}

describe('the API reference lists every export of every entry point, types included', () => {
  let program: ts.Program;
  beforeAll(() => {
    program = ts.createProgram({
      rootNames: entries.map(({ source }) => join(packages, source)),
      options: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true, types: ['node'] },
    });
  }, 60_000);

  describe.each(['guide/api.md', 'zh-CN/guide/api.md'])('%s', (page) => {
    const text = readFileSync(join(docs, page), 'utf8');

    it.each(entries)('gives every export of $entry a row in its section', ({ entry, source }) => {
      const exported = exportedNames(program, source);
      // A broken program (an entry that failed to resolve) would list nothing and pass.
      expect(exported.length).toBeGreaterThan(5);
      const cells = rowNames(sectionOf(text, entry));
      expect(exported.filter((name) => !namedIn(cells, name))).toEqual([]);
    });
  });
});
