import { readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { extractSnippets } from './extract-snippets.js';
import { sourceLine, writePageProject, type GeneratedFile } from './snippet-projects.js';

export type ModuleKind = 'esm' | 'cjs';

/**
 * The compiler options of the app a snippet is pasted into: `nest new`'s settings (decorators
 * with metadata, isolated modules, Node's module resolution) made strict, with the DOM and
 * React's JSX for the client pages. Which module system a file is in comes from the nearest
 * package.json, as in a real project.
 */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2023,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: ['node', 'vitest/globals'],
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  isolatedModules: true,
  esModuleInterop: true,
  skipLibCheck: true,
  jsx: ts.JsxEmit.ReactJSX,
};

/** One error, located in the Markdown page it comes from. */
export interface SnippetError {
  page: string;
  line: number;
  text: string;
}

/**
 * Type-checks the TypeScript fences of `pages` (paths relative to `root`) as one program, each
 * page in its own folder under `outDir/<kind>`, and returns the errors by page.
 */
export function typecheckPages(root: string, pages: string[], outDir: string, kind: ModuleKind, contextDir: string): Map<string, SnippetError[]> {
  const kindDir = join(outDir, kind);
  rmSync(kindDir, { recursive: true, force: true });
  mkdirSync(kindDir, { recursive: true });
  writeFileSync(join(kindDir, 'package.json'), JSON.stringify(kind === 'esm' ? { type: 'module' } : { private: true }));

  const errors = new Map<string, SnippetError[]>(pages.map((page) => [page, []]));
  const generated = new Map<string, GeneratedFile>();
  for (const page of pages) {
    const snippets = extractSnippets(page, readFileSync(join(root, page), 'utf8'));
    if (snippets.length === 0) continue;
    const project = writePageProject(join(kindDir, page.replace(/[\\/]/g, '__').replace(/\.md$/, '')), snippets, contextDir);
    for (const problem of project.problems) errors.get(page)!.push({ page, ...problem });
    for (const file of project.files) generated.set(resolve(file.path), file);
  }

  const rootNames = listFiles(kindDir);
  const program = ts.createProgram({ rootNames, options: COMPILER_OPTIONS });
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const code = `TS${diagnostic.code}`;
    const file = diagnostic.file && generated.get(resolve(diagnostic.file.fileName));
    if (file && !file.reported) continue;
    if (!file || diagnostic.start === undefined) {
      // Context files, or the setup itself: blame every page so that nothing passes unseen.
      const where = diagnostic.file ? relative(outDir, diagnostic.file.fileName) : 'compiler options';
      for (const list of errors.values()) list.push({ page: where, line: 0, text: `${code} ${text}` });
      continue;
    }
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
    const source = sourceLine(file, line);
    const list = errors.get(source.page)!;
    if (!list.some((known) => known.line === source.line && known.text === `${code} ${text}`)) {
      list.push({ page: source.page, line: source.line, text: `${code} ${text}` });
    }
  }
  return errors;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => join(dir, file));
}
