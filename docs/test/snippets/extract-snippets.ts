/** A TypeScript fence of a Markdown page, with what its first line says about it. */
export interface Snippet {
  /** The page, relative to the repository root (for messages). */
  page: string;
  /** 1-based line of the fence's first code line in the page. */
  line: number;
  lang: 'ts' | 'tsx';
  /** File name from a first line `// name.ts`, else undefined. */
  name?: string;
  /** The first line said `// name.ts (continued)`: append to the page's earlier `name.ts`. */
  continued: boolean;
  code: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const LANGS: Record<string, Snippet['lang']> = { ts: 'ts', typescript: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx' };
/** `// chat.gateway.ts`, `// chat.gateway.ts — why`, `// chat.gateway.ts (continued)`. */
const NAME_LINE = /^\/\/\s*([\w.-]+\.tsx?)\b(\s*\(continued\))?/;

/** Every ts/tsx fence of `markdown`, in page order. */
export function extractSnippets(page: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, marker, info] = open;
    const end = closingLine(lines, i + 1, indent, marker);
    const lang = LANGS[info.toLowerCase()];
    if (lang) {
      const body = lines.slice(i + 1, end).map((line) => line.slice(Math.min(indent.length, leadingSpaces(line))));
      const named = NAME_LINE.exec(body[0] ?? '');
      snippets.push({
        page,
        line: i + 2,
        lang,
        name: named?.[1],
        continued: Boolean(named?.[2]),
        code: body.join('\n'),
      });
    }
    i = end;
  }
  return snippets;
}

function closingLine(lines: string[], from: number, indent: string, marker: string): number {
  for (let j = from; j < lines.length; j++) {
    const trimmed = lines[j].trim();
    if (trimmed.startsWith(marker[0].repeat(marker.length)) && /^[`~]+$/.test(trimmed) && leadingSpaces(lines[j]) <= indent.length + 3) {
      return j;
    }
  }
  return lines.length;
}

function leadingSpaces(line: string): number {
  return line.length - line.trimStart().length;
}
