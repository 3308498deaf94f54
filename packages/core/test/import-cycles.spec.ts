// The library's layering, checked: no import cycle between the feature folders of src/ (the root
// files — index.ts, the module — sit on top and are left out), type-only imports included: a cycle
// of types is still two concepts that cannot be read one at a time. Between files, no cycle of
// runtime imports (which decide evaluation order); an option group's interface and its declaration
// refer to each other's types by design.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '../src');
const IMPORT = /(?:^|\n)\s*(import|export)\b(\s+type\b)?([^'";]*?)\bfrom\s+'(\.{1,2}\/[^']+)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

type Graph = Map<string, Set<string>>;

/** `runtimeOnly`: without `import type { … }` and imports whose every name is `type X`. */
function fileGraph(runtimeOnly: boolean): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles(src)) {
    const from = relative(src, file);
    const edges = new Set<string>();
    for (const [, , typeOnly, clause, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (runtimeOnly && (typeOnly || allTypes(clause!))) continue;
      edges.add(relative(src, resolve(dirname(file), specifier!)).replace(/\.js$/, '.ts'));
    }
    graph.set(from, edges);
  }
  return graph;
}

function allTypes(clause: string): boolean {
  const names = /\{([^}]*)\}/.exec(clause)?.[1]?.split(',').map((name) => name.trim()).filter(Boolean);
  return names !== undefined && names.length > 0 && !/^\s*\w+\s*,/.test(clause) && names.every((name) => name.startsWith('type '));
}

/** Files of a feature folder, by folder; the root files are not a feature. */
function folderGraph(files: Graph): Graph {
  const folderOf = (file: string) => (file.includes('/') ? file.split('/')[0]! : undefined);
  const graph: Graph = new Map();
  for (const [file, imports] of files) {
    const from = folderOf(file);
    if (!from) continue;
    const edges = graph.get(from) ?? new Set<string>();
    for (const target of imports) {
      const to = folderOf(target);
      if (to && to !== from) edges.add(to);
    }
    graph.set(from, edges);
  }
  return graph;
}

/** The strongly connected components with more than one member: each is an import cycle (Tarjan). */
function cycles(graph: Graph): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    lowlinks.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowlinks.set(node, Math.min(lowlinks.get(node)!, lowlinks.get(next)!));
      } else if (onStack.has(next)) {
        lowlinks.set(node, Math.min(lowlinks.get(node)!, indices.get(next)!));
      }
    }
    if (lowlinks.get(node) !== indices.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

describe('import graph of packages/core/src', () => {
  const files = fileGraph(false);

  it('reads the imports it checks (a parser that found none would pass anything)', () => {
    expect(files.size).toBeGreaterThan(50);
    expect(files.get('index.ts')?.size).toBeGreaterThan(20);
    expect(fileGraph(true).get('index.ts')?.size).toBeLessThan(files.get('index.ts')!.size);
  });

  it('has no import cycle between feature folders', () => {
    expect(cycles(folderGraph(files))).toEqual([]);
  });

  it('has no cycle of runtime imports between files', () => {
    expect(cycles(fileGraph(true))).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const graph: Graph = new Map([
      ['a/x.ts', new Set(['b/y.ts'])],
      ['b/y.ts', new Set(['c/z.ts'])],
      ['c/z.ts', new Set(['a/x.ts'])],
    ]);
    expect(cycles(graph)).toEqual([['a/x.ts', 'b/y.ts', 'c/z.ts']]);
    expect(cycles(folderGraph(graph))).toEqual([['a', 'b', 'c']]);
  });
});
