import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..');
const pages = readdirSync(join(docs, 'guide')).filter((file) => file.endsWith('.md'));

/**
 * The links of a page to guide pages and sections (`./page`, `./page#section`, `#section`).
 * zh-CN headings carry their English twin's id (`## 限流 {#rate-limiting}`), so a link reads the
 * same in both languages and switching language keeps the reader's place.
 */
function crossLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(((?:\.\/[\w-]+)?(?:#[^)\s]*)?)\)/g)].map(([, target]) => target).filter(Boolean).sort();
}

describe.each(pages)('zh-CN/guide/%s', (page) => {
  const english = readFileSync(join(docs, 'guide', page), 'utf8');
  const chinese = readFileSync(join(docs, 'zh-CN/guide', page), 'utf8');

  it('links to the same pages and sections as the English page', () => {
    expect(crossLinks(chinese)).toEqual(crossLinks(english));
  });

  it('has the same sections as the English page', () => {
    const headings = (text: string) => text.split('\n').filter((line) => /^#{1,4} /.test(line)).map((line) => line.split(' ')[0]);
    expect(headings(chinese)).toEqual(headings(english));
  });
});
