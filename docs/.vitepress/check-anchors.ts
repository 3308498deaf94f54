import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A link whose `#anchor` names no element of the page it points to. */
export interface BrokenAnchor {
  page: string;
  href: string;
}

const ID = /\sid="([^"]+)"/g;
const HREF = /<a\s[^>]*?href="([^"]*#[^"]*)"/g;

/**
 * Every in-site link of the built site whose anchor does not exist on its target page.
 * VitePress checks that linked pages exist, not the `#section` part: a renamed heading would
 * otherwise leave links that open the page at its top.
 */
export function findBrokenAnchors(outDir: string): BrokenAnchor[] {
  const pages = new Map<string, string>();
  for (const file of readdirSync(outDir, { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.html')) pages.set(urlOf(file), readFileSync(join(outDir, file), 'utf8'));
  }
  const idsOf = new Map([...pages].map(([url, html]) => [url, new Set([...html.matchAll(ID)].map((m) => decodeEntities(m[1])))]));

  const broken: BrokenAnchor[] = [];
  for (const [url, html] of pages) {
    for (const [, raw] of html.matchAll(HREF)) {
      const href = decodeEntities(raw);
      if (/^[a-z][a-z\d+.-]*:/i.test(href)) continue; // another site
      const target = new URL(href, `http://site${url}`);
      const anchor = decodeURIComponent(target.hash.slice(1));
      const ids = idsOf.get(normalise(target.pathname));
      // A missing page is VitePress's own dead-link check; an empty anchor is the page top.
      if (ids && anchor && !ids.has(anchor)) broken.push({ page: url, href });
    }
  }
  return broken;
}

function urlOf(file: string): string {
  return normalise(`/${file.replace(/\\/g, '/')}`);
}

/** `/guide/x.html`, `/guide/x` and `/zh-CN/index.html` → `/guide/x`, `/zh-CN/`. */
function normalise(pathname: string): string {
  return decodeURI(pathname).replace(/\.html$/, '').replace(/\/index$/, '/');
}

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}
