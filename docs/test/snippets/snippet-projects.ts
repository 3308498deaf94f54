import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snippet } from './extract-snippets.js';

/** Where a generated file's lines come from: lines `start…` are `snippet`'s code. */
export interface SourcePart {
  start: number;
  snippet: Snippet;
}

/** A generated file and the snippets it is made of (several when one continues another). */
export interface GeneratedFile {
  path: string;
  parts: SourcePart[];
  /** False for a variant's copy of a base file: world 0 reports that file's errors. */
  reported: boolean;
}

/** What was written for one page: its files, and problems found before type-checking. */
export interface PageProject {
  files: GeneratedFile[];
  problems: { line: number; text: string }[];
}

/**
 * Lays a page's snippets out as files a type checker can read.
 *
 * Files are flat and named by their first line (`// chat.gateway.ts`), so snippets import each
 * other as `./chat.gateway.js` the way an app's files do. A name used again without
 * "(continued)" is a variant (the page shows another version of the file): it is checked in a
 * copy of the page's files where it replaces the first version. Context files stand in for "your
 * app" where a page refers to it without defining it.
 */
export function writePageProject(pageDir: string, snippets: Snippet[], contextDir: string): PageProject {
  const problems: PageProject['problems'] = [];
  const base = new Map<string, Snippet[]>();
  const variants: Map<string, Snippet[]>[] = [];
  const latest = new Map<string, Map<string, Snippet[]>>();

  for (const snippet of snippets) {
    const name = snippet.name ?? `snippet-${snippet.line}.${snippet.lang}`;
    if (snippet.continued) {
      const world = latest.get(name);
      if (!world) problems.push({ line: snippet.line, text: `continues ${name}, which no earlier snippet of the page defines` });
      else world.get(name)!.push(snippet);
    } else if (base.has(name)) {
      const variant = new Map([[name, [snippet]]]);
      variants.push(variant);
      latest.set(name, variant);
    } else {
      base.set(name, [snippet]);
      latest.set(name, base);
    }
  }

  const context = readdirSync(contextDir).filter((file) => /\.tsx?$/.test(file));
  const files: GeneratedFile[] = [];
  const worlds = [base, ...variants.map((variant) => new Map([...base, ...variant]))];
  worlds.forEach((world, index) => {
    const dir = join(pageDir, `w${index}`);
    mkdirSync(dir, { recursive: true });
    for (const file of context) {
      if (!world.has(file)) writeFileSync(join(dir, file), readFileSync(join(contextDir, file)));
    }
    for (const [name, parts] of world) {
      files.push(writeGeneratedFile(join(dir, name), parts, index === 0 || base.get(name) !== parts));
    }
  });
  return { files, problems };
}

function writeGeneratedFile(path: string, snippets: Snippet[], reported: boolean): GeneratedFile {
  const parts: SourcePart[] = [];
  const chunks: string[] = [];
  let line = 0;
  for (const snippet of snippets) {
    parts.push({ start: line, snippet });
    chunks.push(snippet.code);
    line += snippet.code.split('\n').length;
  }
  // A snippet without import or export would be a script sharing one global scope with the others.
  writeFileSync(path, `${chunks.join('\n')}\nexport {};\n`);
  return { path, parts, reported };
}

/** The page and line (1-based) a 0-based line of a generated file comes from. */
export function sourceLine(file: GeneratedFile, line: number): { page: string; line: number } {
  const part = [...file.parts].reverse().find((candidate) => candidate.start <= line) ?? file.parts[0];
  return { page: part.snippet.page, line: part.snippet.line + (line - part.start) };
}
