import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the built app (`node dist/main.js`, what `pnpm start` runs) with the given env. */
export function startApp(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: appDir, env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

export async function waitForOutput(started: Started, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(started.output())) {
    if (Date.now() > deadline || started.child.exitCode !== null) {
      throw new Error(`app did not print ${pattern}; output:\n${started.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Signs in through the demo login endpoint of the app at `app` (a port, or a base URL) and returns the token. */
export async function login(app: number | string, name: string): Promise<string> {
  const base = typeof app === 'number' ? `http://127.0.0.1:${app}` : app;
  const response = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 200) throw new Error(`POST /auth/login answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

