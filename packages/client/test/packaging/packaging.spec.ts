import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RealtimeTestingApp } from '@nestjs-realtime/core/testing';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, token } from '../support/server.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

type ExportsTree = string | { [condition: string]: ExportsTree };

interface Manifest {
  main: string;
  module: string;
  types: string;
  exports: Record<string, ExportsTree>;
  peerDependencies: Record<string, string>;
}

function leaves(tree: ExportsTree): string[] {
  return typeof tree === 'string' ? [tree] : Object.values(tree).flatMap(leaves);
}

/** What every consumer reports of its round trip with the server. */
function expectRoundTrip(report: { result: unknown; refusal: unknown }): void {
  expect(report.result).toEqual({ status: 'ok', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  expect(report.refusal).toMatchObject({ isRealtimeError: true, code: 'BAD_REQUEST' });
}

describe('the packed tarball', () => {
  let workDir: string;
  let tarball: string;
  let packedFiles: string[];
  let manifest: Manifest;
  let server: RealtimeTestingApp;

  beforeAll(async () => {
    if (!existsSync(join(packageDir, 'dist/index.js'))) {
      throw new Error('packages/client/dist is missing: run `pnpm build` (the root `pnpm test` does) before this test.');
    }
    workDir = await mkdtemp(join(tmpdir(), 'nestjs-realtime-client-pack-'));
    const { stdout } = await run('pnpm', ['pack', '--pack-destination', workDir], { cwd: packageDir });
    tarball = stdout.trim().split('\n').pop()!.trim();
    expect(tarball).toMatch(/\.tgz$/);
    packedFiles = (await run('tar', ['-tzf', tarball])).stdout.split('\n').filter(Boolean);
    manifest = JSON.parse((await run('tar', ['-xzOf', tarball, 'package/package.json'])).stdout);
    server = await startServer();
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** A throwaway app that installs the tarball and socket.io-client (the peer range it declares) with npm. */
  async function installConsumer(name: string, extra: Record<string, unknown> = {}): Promise<string> {
    const appDir = join(workDir, name);
    await mkdir(appDir, { recursive: true });
    await writeFile(
      join(appDir, 'package.json'),
      JSON.stringify({
        name: `consumer-${name}`,
        private: true,
        ...extra,
        dependencies: {
          '@nestjs-realtime/client': `file:${tarball}`,
          'socket.io-client': manifest.peerDependencies['socket.io-client'],
        },
      }),
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: appDir, timeout: 240_000 });
    return appDir;
  }

  it('contains every path its package.json points to, and its README', () => {
    const paths = [manifest.main, manifest.module, manifest.types, ...Object.values(manifest.exports).flatMap(leaves), './README.md'];
    expect(paths.length).toBeGreaterThan(6);
    for (const path of paths) {
      expect(packedFiles, `${path} is declared but not packed`).toContain(`package/${path.replace(/^\.\//, '')}`);
    }
  });

  it('points import at the ESM build and require at the CommonJS build, each with its own types', () => {
    expect(manifest.exports['.']).toEqual({
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    });
    expect(manifest.main).toBe('./dist/index.cjs');
    expect(manifest.module).toBe('./dist/index.js');
  });

  it('ships no sources, no tests and no workspace: ranges', async () => {
    expect(packedFiles.filter((file) => /\.spec\.|\.test-d\.|\/src\/|\/test\/|tsconfig|tsup\.config|vitest\.config/.test(file))).toEqual([]);
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
  });

  it.each([
    { moduleSystem: 'esm', type: 'module', extension: 'mjs', entry: /^file:\/\/.*\/node_modules\/@nestjs-realtime\/client\/dist\/index\.js$/ },
    { moduleSystem: 'cjs', type: 'commonjs', extension: 'cjs', entry: /\/node_modules\/@nestjs-realtime\/client\/dist\/index\.cjs$/ },
  ])(
    '$moduleSystem Node app: installs from the tarball, connects with a token, gets an answer and a typed refusal',
    async ({ moduleSystem, type, extension, entry }) => {
      const appDir = await installConsumer(`node-${moduleSystem}`, { type });
      const header = await readFile(join(here, `consumer/header.${extension}`), 'utf8');
      const body = await readFile(join(here, 'consumer/node-consumer.body.js'), 'utf8');
      await writeFile(join(appDir, `app.${extension}`), `${header}\n${body}`);

      const { stdout } = await run(process.execPath, [`app.${extension}`], {
        cwd: appDir,
        timeout: 60_000,
        env: { ...process.env, SERVER_URL: server.url, TOKEN: token(`pkg-${moduleSystem}`) },
      });
      const line = stdout.split('\n').find((l) => l.startsWith('REPORT '));
      expect(line, `no report in:\n${stdout}`).toBeDefined();
      const report = JSON.parse(line!.slice('REPORT '.length));

      expect(report.moduleSystem).toBe(moduleSystem);
      expect(report.resolvedEntry).toMatch(entry);
      expectRoundTrip(report);
      expect(report.refusal).toMatchObject({ name: 'RealtimeError', details: { field: 'text' } });
      expect(report.statuses).toEqual(['connecting', 'connected', 'offline']);
    },
    300_000,
  );

  it('browser app: bundles from the tarball with esbuild and talks to the server from headless Chromium', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
    }
    const appDir = await installConsumer('browser', { type: 'module' });
    await writeFile(join(appDir, 'entry.js'), await readFile(join(here, 'consumer/browser-entry.js'), 'utf8'));
    const bundled = await build({
      absWorkingDir: appDir,
      entryPoints: ['entry.js'],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    const inputs = Object.keys(bundled.metafile.inputs);
    // The browser build of the client and of socket.io-client, and nothing meant for Node.
    expect(inputs).toContain('node_modules/@nestjs-realtime/client/dist/index.js');
    expect(inputs.some((input) => input.startsWith('node_modules/socket.io-client/'))).toBe(true);
    expect(inputs.filter((input) => input.startsWith('node_modules/ws/'))).toEqual([]);

    // The page is served at the server's origin, as an app's own page would be; the socket reaches the real server.
    const page = `${server.url}/packaging/index.html`;
    const script = `${server.url}/packaging/app.js`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const tab = await browser.newPage();
      const pageErrors: Error[] = [];
      tab.on('pageerror', (error) => pageErrors.push(error));
      await tab.route(page, (route) =>
        route.fulfill({ contentType: 'text/html', body: `<!doctype html><p id="answer"></p><script src="${script}"></script>` }),
      );
      await tab.route(script, (route) => route.fulfill({ contentType: 'text/javascript', body: bundled.outputFiles[0]!.text }));
      await tab.goto(page);

      const report = await tab.evaluate(
        (userToken) => (window as unknown as { runClient(t: string): Promise<{ result: unknown; refusal: unknown; statuses: string[] }> }).runClient(userToken),
        token('pkg-browser'),
      );
      expectRoundTrip(report);
      expect(report.statuses).toEqual(['connecting', 'connected', 'offline']);
      expect(await tab.textContent('#answer')).toBe('ok');
      expect(pageErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 300_000);
});
