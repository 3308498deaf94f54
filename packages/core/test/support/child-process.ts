import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');

export interface Child {
  process: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code, or 'still running' after `timeoutMs`. */
  exit(timeoutMs: number): Promise<number | null | 'still running'>;
}

/** Runs a fixture script in its own Node process (it imports the built library from dist/). */
export function runFixture(script: string, args: string[], nodeOptions: string[] = []): Child {
  const child = spawn(process.execPath, [...nodeOptions, join(fixtures, script), ...args], { cwd: fixtures, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    async waitFor(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = output.match(pattern);
        if (match) return match;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${script} did not print ${pattern}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    exit: (timeoutMs) => Promise.race([exited, new Promise<'still running'>((resolve) => setTimeout(resolve, timeoutMs, 'still running'))]),
  };
}
