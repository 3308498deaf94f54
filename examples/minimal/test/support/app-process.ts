import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The example's folder: where `pnpm start` runs. */
export const appDir = join(__dirname, '..', '..');

export interface AppProcess {
  child: ChildProcess;
  /** Everything the process printed so far, stdout and stderr. */
  output(): string;
  /** Resolves once the output matches `pattern`; rejects if the process exits first. */
  printed(pattern: RegExp): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the built app the way `pnpm start` does (`node dist/main.js`), with `env` added to the test's environment. */
export function startApp(env: Record<string, string | undefined>): AppProcess {
  // NO_COLOR: Nest's logger prints plain text, which the tests match.
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: appDir, env: { ...process.env, NO_COLOR: '1', ...env } });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // Each pending printed() checks the output again whenever more arrives.
  const waiting = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of waiting) check();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const printed = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(output) && waiting.delete(check)) resolve();
      };
      waiting.add(check);
      void exited.then(({ code, signal }) => {
        if (waiting.delete(check)) reject(new Error(`the app exited (${signal ?? code}) without printing ${pattern}:\n${output}`));
      });
      check();
    });

  return { child, output: () => output, printed, exited };
}

/** Signs in through the demo login (`POST /auth/login`) and returns the token. */
export async function login(baseUrl: string, name: string): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 200) throw new Error(`POST /auth/login answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}
