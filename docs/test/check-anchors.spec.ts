import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBrokenAnchors } from '../.vitepress/check-anchors.js';

describe('findBrokenAnchors (run by the docs build)', () => {
  const site = mkdtempSync(join(tmpdir(), 'docs-anchors-'));
  afterAll(() => rmSync(site, { recursive: true, force: true }));
  const page = (file: string, html: string) => {
    mkdirSync(dirname(join(site, file)), { recursive: true });
    writeFileSync(join(site, file), html);
  };

  page('guide/configuration.html', '<h2 id="graceful-drain">Graceful drain</h2><a href="#graceful-drain">#</a>');
  page('zh-CN/guide/configuration.html', '<h2 id="优雅排空">优雅排空</h2>');
  page(
    'guide/production.html',
    [
      '<a href="/guide/configuration#graceful-drain">ok</a>',
      '<a href="./configuration.html#graceful-drain">ok, relative</a>',
      '<a href="/zh-CN/guide/configuration#%E4%BC%98%E9%9B%85%E6%8E%92%E7%A9%BA">ok, encoded</a>',
      '<a href="/guide/configuration#">page top</a>',
      '<a href="https://example.com/x#nope">another site</a>',
      '<a href="/guide/configuration#gracefull-drain">typo</a>',
      '<a href="#missing">same page</a>',
    ].join(''),
  );

  it('reports links whose anchor is missing on their page, and only those', () => {
    expect(findBrokenAnchors(site)).toEqual([
      { page: '/guide/production', href: '/guide/configuration#gracefull-drain' },
      { page: '/guide/production', href: '#missing' },
    ]);
  });
});
