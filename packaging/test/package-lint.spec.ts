import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack, packagingDir, published, repoRoot, run, type PublishedPackage } from './support/workspace.js';

interface AttwProblem {
  kind: string;
  entrypoint: string;
  resolutionKind: string;
}

interface AttwResolution {
  resolution?: { fileName: string };
}

interface AttwAnalysis {
  packageName: string;
  entrypoints: Record<string, { resolutions: Record<string, AttwResolution> }>;
  problems: AttwProblem[];
}

/**
 * The only finding accepted: under node16 (and attw's model of it, TypeScript 5.6), a `require`
 * of core resolves to ESM. That is by design. Core ships one ESM file per entry point, for
 * `import` and `require` alike, so an app has one copy of each class: Nest's DI finds providers
 * by class identity, and a CommonJS and an ESM copy of `RealtimeModule` or `RealtimeService`
 * loaded side by side would be two different tokens. CommonJS apps load that one file through
 * require(esm), in Node.js >= 20.19; TypeScript models it as `module: node20` / `nodenext`, and
 * the consumer matrix (type-resolution.spec.ts) compiles and runs that.
 */
const accepted: Record<PublishedPackage, AttwProblem[]> = {
  core: published.core.entryPoints.map((entrypoint) => ({ kind: 'CJSResolvesToESM', entrypoint, resolutionKind: 'node16-cjs' })),
  client: [],
};

/**
 * The declaration file each resolution mode must reach. Core has one set of ESM declarations.
 * The client's `require` side (and node10, which is CommonJS-only) gets its .d.cts files.
 */
const declarations: Record<PublishedPackage, Record<string, RegExp>> = {
  core: { node10: /\.d\.ts$/, 'node16-cjs': /\.d\.ts$/, 'node16-esm': /\.d\.ts$/, bundler: /\.d\.ts$/ },
  client: { node10: /\.d\.cts$/, 'node16-cjs': /\.d\.cts$/, 'node16-esm': /\.d\.ts$/, bundler: /\.d\.ts$/ },
};

const packages = Object.keys(published) as PublishedPackage[];

const repository = 'https://github.com/nestjs-realtime/nestjs-realtime';

interface PackedManifest {
  homepage?: string;
  repository?: { type: string; url: string; directory: string };
  bugs?: { url: string };
  files: string[];
}

describe('what npm users get, as attw and publint see it', () => {
  let workDir: string;
  const tarballs = {} as Record<PublishedPackage, string>;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'nestjs-realtime-lint-'));
    for (const which of packages) tarballs[which] = await pack(which, workDir);
  });

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it.each(packages)('attw: every entry point of %s resolves to its types under node10, node16 (CJS and ESM) and bundler', async (which) => {
    // --no-definitely-typed: the packages ship their own types; attw need not look up @types.
    const attw = await run(join(packagingDir, 'node_modules/.bin/attw'), [tarballs[which], '--format', 'json', '--no-definitely-typed'], {
      cwd: workDir,
      timeout: 120_000,
    });
    let analysis: AttwAnalysis;
    try {
      analysis = (JSON.parse(attw.stdout) as { analysis: AttwAnalysis }).analysis;
    } catch {
      throw new Error(`attw printed no JSON (exit ${attw.code}):\n${attw.stdout}${attw.stderr}`);
    }

    expect(analysis.packageName).toBe(published[which].name);
    expect(Object.keys(analysis.entrypoints).sort()).toEqual([...published[which].entryPoints, './package.json'].sort());
    expect(analysis.problems).toEqual(accepted[which]);
    // attw exits 1 on any problem, accepted or not.
    expect(attw.code).toBe(accepted[which].length > 0 ? 1 : 0);

    for (const entrypoint of published[which].entryPoints) {
      for (const [mode, declaration] of Object.entries(declarations[which])) {
        const reached = analysis.entrypoints[entrypoint]!.resolutions[mode]?.resolution?.fileName;
        expect(reached, `${published[which].name} ${entrypoint} under ${mode}`).toMatch(declaration);
      }
    }
  });

  it.each(packages)('%s leads from npm to the repository, its docs and its issues, and packs every file it names', async (which) => {
    const listing = await run('tar', ['-tzf', tarballs[which]], { cwd: workDir, timeout: 30_000 });
    const packed = listing.stdout.split('\n').filter(Boolean);
    const manifest = JSON.parse((await run('tar', ['-xzOf', tarballs[which], 'package/package.json'], { cwd: workDir, timeout: 30_000 })).stdout) as PackedManifest;

    expect(manifest.repository).toEqual({ type: 'git', url: `git+${repository}.git`, directory: `packages/${which}` });
    expect(manifest.bugs).toEqual({ url: `${repository}/issues` });
    // The homepage is a guide of this repository, and that guide exists.
    expect(manifest.homepage).toMatch(new RegExp(`^${repository}/blob/main/docs/guide/[\\w-]+\\.md$`));
    expect(existsSync(join(repoRoot, manifest.homepage!.slice(`${repository}/blob/main/`.length)))).toBe(true);

    expect(manifest.files).toContain('CHANGELOG.md');
    for (const entry of manifest.files) {
      expect(packed.some((file) => file === `package/${entry}` || file.startsWith(`package/${entry}/`)), `${entry} is in "files" but not packed`).toBe(true);
    }
    const changelog = await run('tar', ['-xzOf', tarballs[which], 'package/CHANGELOG.md'], { cwd: workDir, timeout: 30_000 });
    expect(changelog.stdout).toBe(await readFile(join(repoRoot, 'CHANGELOG.md'), 'utf8'));

    // Relative links cannot work on npm's page: the README links to the docs by their full address.
    const readme = (await run('tar', ['-xzOf', tarballs[which], 'package/README.md'], { cwd: workDir, timeout: 30_000 })).stdout;
    expect(readme.match(/\]\((?!https?:\/\/|#)[^)]*\)/g) ?? []).toEqual([]);
    expect(readme).toContain(`${repository}/blob/main/docs/guide/`);
  });

  it.each(packages)('publint: %s has no errors and no warnings', async (which) => {
    // publint packs the package itself with pnpm, so it can also tell files that exist but are not published.
    const { messages, pkg } = await publint({ pkgDir: published[which].dir, pack: 'pnpm', strict: true });
    const report = messages.map((message) => `${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
    expect(messages.filter((message) => message.type !== 'suggestion').length, report.join('\n')).toBe(0);
    // Suggestions are not failures, but each one is a decision: the client declares no `engines.node`
    // because it runs in browsers as well as in Node, and its build is not tied to one Node release.
    const suggestions = messages.filter((message) => message.type === 'suggestion').map((message) => message.code);
    expect(suggestions, report.join('\n')).toEqual(which === 'client' ? ['USE_ENGINES_NODE'] : []);
  });
});
