import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packagingDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const repoRoot = join(packagingDir, '..');

/** The published packages, each with the entry points its `exports` map declares. */
export const published = {
  core: { name: '@nestjs-realtime/core', dir: join(repoRoot, 'packages/core'), entryPoints: ['.', './testing', './ws'] },
  client: { name: '@nestjs-realtime/client', dir: join(repoRoot, 'packages/client'), entryPoints: ['.', './ws'] },
} as const;

export type PublishedPackage = keyof typeof published;

export interface Finished {
  /** The exit code; `null` when the process was killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end and resolves with what it printed, whatever its exit code. */
export function run(command: string, args: string[], options: { cwd: string; timeout: number; env?: NodeJS.ProcessEnv }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { ...options, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code === 'string') {
        reject(new Error(`${command} could not be started (${error.code}): ${error.message}`));
        return;
      }
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** `pnpm pack` of a published package into `destination`; resolves with the tarball's path. */
export async function pack(which: PublishedPackage, destination: string): Promise<string> {
  const { dir } = published[which];
  if (!existsSync(join(dir, 'dist/index.js'))) {
    throw new Error(`${dir}/dist is missing: run \`pnpm build\` (the root \`pnpm test\` does) before this test.`);
  }
  const packed = await run('pnpm', ['pack', '--pack-destination', destination], { cwd: dir, timeout: 120_000 });
  const tarball = packed.stdout.trim().split('\n').pop()?.trim() ?? '';
  if (packed.code !== 0 || !tarball.endsWith('.tgz')) {
    throw new Error(`pnpm pack failed in ${dir}:\n${packed.stdout}\n${packed.stderr}`);
  }
  return tarball;
}

/** The exact version of a package that packages/core develops and tests against. */
export async function devVersion(name: string): Promise<string> {
  const sources = [join(published.core.dir, 'package.json'), join(repoRoot, 'package.json')];
  for (const source of sources) {
    const manifest = JSON.parse(await readFile(source, 'utf8')) as { devDependencies?: Record<string, string> };
    const version = manifest.devDependencies?.[name];
    if (version) return version;
  }
  throw new Error(`${name} is not a devDependency of packages/core or of the workspace root`);
}
