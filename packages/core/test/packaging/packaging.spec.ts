import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '../..');

interface Consumer {
  name: string;
  moduleKind: 'module' | 'commonjs';
  nest: string;
}

/** The three kinds of app users build: Nest 12 ESM, Nest 12 CommonJS (require(esm)), Nest 11 CommonJS. */
const consumers: Consumer[] = [
  { name: 'nest12-esm', moduleKind: 'module', nest: '^12.0.0' },
  { name: 'nest12-cjs', moduleKind: 'commonjs', nest: '^12.0.0' },
  { name: 'nest11-cjs', moduleKind: 'commonjs', nest: '^11.0.0' },
];

type ExportsTree = string | { [condition: string]: ExportsTree };

function leaves(tree: ExportsTree): string[] {
  return typeof tree === 'string' ? [tree] : Object.values(tree).flatMap(leaves);
}

describe('the packed tarball', () => {
  let workDir: string;
  let tarball: string;
  let packedFiles: string[];
  let manifest: { main: string; types: string; exports: Record<string, ExportsTree> };

  beforeAll(async () => {
    if (!existsSync(join(packageDir, 'dist/index.js'))) {
      throw new Error('packages/core/dist is missing: run `pnpm build` (the root `pnpm test` does) before this test.');
    }
    workDir = await mkdtemp(join(tmpdir(), 'nestjs-realtime-pack-'));
    const { stdout } = await run('pnpm', ['pack', '--pack-destination', workDir], { cwd: packageDir });
    tarball = stdout.trim().split('\n').pop()!.trim();
    expect(tarball).toMatch(/\.tgz$/);
    packedFiles = (await run('tar', ['-tzf', tarball])).stdout.split('\n').filter(Boolean);
    manifest = JSON.parse((await run('tar', ['-xzOf', tarball, 'package/package.json'])).stdout);
  }, 120_000);

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('contains every path its package.json points to', () => {
    const paths = [manifest.main, manifest.types, ...Object.values(manifest.exports).flatMap(leaves)];
    expect(paths.length).toBeGreaterThan(8);
    for (const path of paths) {
      expect(packedFiles, `${path} is declared but not packed`).toContain(`package/${path.replace(/^\.\//, '')}`);
    }
  });

  it('points import and require at the same ESM file, for the root and every subpath', () => {
    for (const subpath of ['.', './testing', './ws']) {
      const entry = manifest.exports[subpath] as Record<string, string>;
      expect(entry.import).toMatch(/\.js$/);
      expect(entry.require).toBe(entry.import);
      expect(entry.types).toBe(entry.import.replace(/\.js$/, '.d.ts'));
    }
  });

  it('ships no tests and no sources', () => {
    expect(packedFiles.filter((f) => /\.spec\.|\/src\/|\/test\//.test(f))).toEqual([]);
  });

  it.each(consumers)(
    '$name: installs from the tarball, boots a gateway with forRoot options and serves a socket.io-client',
    async ({ name, moduleKind, nest }) => {
      const appDir = join(workDir, name);
      await mkdir(appDir, { recursive: true });
      const extension = moduleKind === 'module' ? 'mjs' : 'cjs';
      await writeFile(
        join(appDir, 'package.json'),
        JSON.stringify({
          name: `consumer-${name}`,
          private: true,
          ...(moduleKind === 'module' ? { type: 'module' } : {}),
          dependencies: {
            '@nestjs-realtime/core': `file:${tarball}`,
            '@nestjs/common': nest,
            '@nestjs/core': nest,
            '@nestjs/jwt': nest,
            '@nestjs/platform-express': nest,
            '@nestjs/platform-socket.io': nest,
            '@nestjs/platform-ws': nest,
            '@nestjs/testing': nest,
            '@nestjs/websockets': nest,
            'reflect-metadata': '^0.2.2',
            rxjs: '^7.8.0',
            'socket.io': '^4.8.0',
            'socket.io-client': '^4.8.0',
            ws: '^8.0.0',
          },
        }),
      );
      const header = await readFile(join(here, `consumer/header.${extension}`), 'utf8');
      const body = await readFile(join(here, 'consumer/consumer-app.body.js'), 'utf8');
      await writeFile(join(appDir, `app.${extension}`), `${header}\n${body}`);

      await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: appDir, timeout: 240_000 });
      const { stdout } = await run(process.execPath, [`app.${extension}`], { cwd: appDir, timeout: 60_000 });
      const line = stdout.split('\n').find((l) => l.startsWith('REPORT '));
      expect(line, `no report in:\n${stdout}`).toBeDefined();
      const report = JSON.parse(line!.slice('REPORT '.length));

      expect(report.refused).toEqual({ code: 'UNAUTHENTICATED', reason: 'missing_token' });
      expect(report.echo).toEqual({ echoed: 'hello', userId: 'pkg-user' });
      expect(report.testingKit).toEqual({ echoed: 'kit', userId: 'kit-user' });
      expect(report.native).toEqual({ event: 'whoami', data: 'pkg-user' });
      expect(report.nativeRefused).toEqual({ status: 401 });
      expect(report.pingInterval).toBe(12_000);
      expect(report.badConfig).toMatch(/^RealtimeConfigError: Invalid RealtimeModule option "path": got "no-slash"/);
      expect(report.injectables.map((i: { name: string }) => i.name)).toContain('WsJwtGuard');
      for (const injectable of report.injectables) {
        expect(injectable.paramtypes, `${injectable.name} lost design:paramtypes`).not.toHaveLength(0);
        expect(injectable.paramtypes).not.toContain(undefined);
      }
    },
    300_000,
  );
});
