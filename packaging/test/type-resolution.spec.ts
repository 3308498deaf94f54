import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devVersion, pack, packagingDir, run, type Finished } from './support/workspace.js';

/**
 * The consumer matrix: throwaway TypeScript projects, one per module setting users have, each
 * importing every entry point of both packages from their packed tarballs and type-checking a use
 * of each. All of them share one npm install (the consumers are folders of one project).
 */
interface Consumer {
  name: string;
  /** The consumer's package.json `type`; unset is CommonJS, as in an app that never chose. */
  type?: 'commonjs' | 'module';
  compilerOptions: Record<string, unknown>;
  source: 'static-imports.ts' | 'node16-commonjs.ts';
  /** The module system of the emitted JavaScript, which is run with node; unset: type-check only. */
  runsAs?: 'commonjs' | 'esm';
  /** For the test's title. */
  then: string;
}

const consumers: Consumer[] = [
  // What `module: commonjs` implies when moduleResolution is not set: node10, which reads no
  // `exports` map. Subpaths resolve through `typesVersions`. esModuleInterop as `tsc --init` sets
  // it: without it, socket.io's and @nestjs/jwt's own typings fail under skipLibCheck: false.
  { name: 'node10', compilerOptions: { module: 'commonjs', esModuleInterop: true }, source: 'static-imports.ts', runsAs: 'commonjs', then: 'runs as CommonJS' },
  { name: 'node16-cjs', type: 'commonjs', compilerOptions: { module: 'node16' }, source: 'node16-commonjs.ts', runsAs: 'commonjs', then: 'runs as CommonJS' },
  // The setting a node16 CommonJS project moves to for static imports of core (TypeScript 5.9+).
  { name: 'node20-cjs', type: 'commonjs', compilerOptions: { module: 'node20' }, source: 'static-imports.ts', runsAs: 'commonjs', then: 'runs as CommonJS' },
  { name: 'nodenext-cjs', type: 'commonjs', compilerOptions: { module: 'nodenext' }, source: 'static-imports.ts', runsAs: 'commonjs', then: 'runs as CommonJS' },
  { name: 'nodenext-esm', type: 'module', compilerOptions: { module: 'nodenext' }, source: 'static-imports.ts', runsAs: 'esm', then: 'runs as ESM' },
  // Type-check only: bundler resolution describes a bundler (Vite, esbuild, webpack), and its
  // output is for one, not for node. Running it with node would only repeat the nodenext ESM
  // consumer; packages/client's packaging test bundles the client and runs it in a browser.
  { name: 'bundler', type: 'module', compilerOptions: { module: 'preserve', moduleResolution: 'bundler', noEmit: true }, source: 'static-imports.ts', then: 'type-check only' },
];

/** What every consumer reports at run time: each entry point loaded, the same classes. */
const loaded = {
  RealtimeModule: 'function',
  forRoot: true,
  RealtimeIoAdapter: 'function',
  RealtimeWsAdapter: 'function',
  WS_TOKEN_PROTOCOL: 'bearer',
  signToken: 'function',
  RealtimeClient: 'function',
  status: 'offline',
  RealtimeError: true,
  RealtimeWsClient: 'function',
};

/** tsc's diagnostics, one `file(line,col): error TSnnnn: …` line each, for assertion messages. */
function diagnostics(result: Finished): string[] {
  return result.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
}

describe('type resolution of the packed packages, from every TypeScript module setting', () => {
  let workDir: string;
  let matrixDir: string;
  let tsc: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'nestjs-realtime-types-'));
    const [core, client] = await Promise.all([pack('core', workDir), pack('client', workDir)]);
    matrixDir = join(workDir, 'matrix');
    await mkdir(matrixDir);

    // The Nest 12 peers the declaration files import, at the versions the library is built
    // against; @types/ws because core's /ws types and socket.io's (engine.io) import 'ws'.
    const peers = [
      '@nestjs/common', '@nestjs/core', '@nestjs/websockets', '@nestjs/platform-socket.io', '@nestjs/platform-ws',
      '@nestjs/jwt', '@nestjs/testing', 'socket.io', 'socket.io-client', 'rxjs', 'reflect-metadata', 'ws', '@types/ws',
      '@types/node', 'typescript',
    ];
    const dependencies: Record<string, string> = { '@nestjs-realtime/core': `file:${core}`, '@nestjs-realtime/client': `file:${client}` };
    for (const name of peers) dependencies[name] = await devVersion(name);
    await writeFile(join(matrixDir, 'package.json'), JSON.stringify({ name: 'consumer-matrix', private: true, dependencies }, null, 2));
    const installed = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: matrixDir, timeout: 240_000 });
    if (installed.code !== 0) throw new Error(`npm install failed:\n${installed.stdout}\n${installed.stderr}`);
    tsc = join(matrixDir, 'node_modules/typescript/bin/tsc');

    for (const consumer of consumers) {
      const dir = join(matrixDir, consumer.name);
      await mkdir(dir);
      await writeFile(join(dir, 'index.ts'), await readFile(join(packagingDir, 'consumers', consumer.source), 'utf8'));
      await writeFile(join(dir, 'package.json'), JSON.stringify({ private: true, ...(consumer.type ? { type: consumer.type } : {}) }));
      const compilerOptions = {
        target: 'ES2022',
        strict: true,
        // The library's declaration files are checked too, in each mode, with what they import.
        skipLibCheck: false,
        outDir: 'out',
        noEmitOnError: true,
        ...consumer.compilerOptions,
      };
      await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.ts'] }, null, 2));
    }
  });

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it.concurrent.for(consumers)('$name: every entry point of both packages resolves and type-checks; $then', async (consumer, { expect }) => {
    const dir = join(matrixDir, consumer.name);
    // One tsc run checks and (noEmitOnError) emits only what checked.
    const checked = await run(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { cwd: dir, timeout: 120_000 });
    expect(diagnostics(checked), `tsc -p ${consumer.name}:\n${checked.stdout}${checked.stderr}`).toEqual([]);
    expect(checked.code).toBe(0);
    if (!consumer.runsAs) return;

    const ran = await run(process.execPath, ['out/index.js'], { cwd: dir, timeout: 60_000 });
    const line = ran.stdout.split('\n').find((l) => l.startsWith('REPORT '));
    expect(line, `node out/index.js in ${consumer.name} (exit ${ran.code}):\n${ran.stdout}${ran.stderr}`).toBeDefined();
    const report = JSON.parse(line!.slice('REPORT '.length));
    expect(report).toMatchObject({ ...loaded, moduleSystem: consumer.runsAs });
    if (consumer.runsAs === 'commonjs') {
      // require() of core loads its one ESM file (require(esm)); of the client, its CommonJS build.
      expect(report.resolved.client).toMatch(/\/node_modules\/@nestjs-realtime\/client\/dist\/index\.cjs$/);
      if (consumer.source === 'static-imports.ts') {
        expect(report.resolved.core).toMatch(/\/node_modules\/@nestjs-realtime\/core\/dist\/index\.js$/);
      }
    }
    expect(ran.code).toBe(0);
  });

  it('node16 CommonJS: a static import of core is TS1479 (no require(esm) in that model), of the client is fine', async () => {
    const dir = join(matrixDir, 'node16-cjs-static');
    await mkdir(dir);
    await writeFile(join(dir, 'index.ts'), await readFile(join(packagingDir, 'consumers/node16-commonjs-require.ts'), 'utf8'));
    await writeFile(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'commonjs' }));
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'node16', strict: true, noEmit: true }, files: ['index.ts'] }));

    const checked = await run(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { cwd: dir, timeout: 120_000 });
    const errors = diagnostics(checked);
    expect(errors.map((error) => error.match(/error (TS\d+)/)![1]), checked.stdout).toEqual(['TS1479', 'TS1479', 'TS1479']);
    for (const [index, entry] of ['@nestjs-realtime/core', '@nestjs-realtime/core/testing', '@nestjs-realtime/core/ws'].entries()) {
      expect(errors[index]).toContain(`dynamic 'import("${entry}")' call instead`);
    }
  });
});
