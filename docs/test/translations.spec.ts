import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..');
const pages = readdirSync(join(docs, 'guide')).filter((file) => file.endsWith('.md'));

/**
 * The links of a page to the other guide pages, as `page` or `page#…`: the anchors' text differs
 * between languages (slugs follow the headings), but whether a link goes to a section does not.
 */
function crossLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(\.\/([\w-]+)(#[^)\s]*)?\)/g)].map(([, page, anchor]) => (anchor ? `${page}#…` : page)).sort();
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
