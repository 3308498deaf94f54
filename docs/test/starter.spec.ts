import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractSnippets } from './snippets/extract-snippets.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const starter = join(repo, 'examples/minimal');

/**
 * Getting started says "every file below is the starter's, as it is": so it stays. (Its test is
 * shown in part, importing the module from beside it; the CommonJS snippet check compiles it.)
 */
describe.each(['docs/guide/getting-started.md', 'docs/zh-CN/guide/getting-started.md'])('%s', (page) => {
  const snippets = extractSnippets(page, readFileSync(join(repo, page), 'utf8')).filter((snippet) => snippet.name);
  const fileOf = (name: string) => (existsSync(join(starter, 'src', name)) ? join(starter, 'src', name) : undefined);

  it('shows the starter files', () => {
    expect(snippets.filter((snippet) => fileOf(snippet.name!)).map((snippet) => snippet.name)).toEqual(
      expect.arrayContaining(['app.module.ts', 'chat.gateway.ts', 'chat-message.dto.ts', 'jwt-secret.ts', 'login.controller.ts', 'main.ts']),
    );
  });

  it.each(snippets.filter((snippet) => fileOf(snippet.name!)).map((snippet) => [snippet.name!, snippet] as const))(
    '%s is the file of examples/minimal, as it is',
    (name, snippet) => {
      const shown = snippet.code.split('\n').slice(1).join('\n').trim(); // without the `// name.ts` line
      expect(shown).toBe(readFileSync(fileOf(name)!, 'utf8').trim());
    },
  );
});
