import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectClient } from '@nestjs-realtime/core/testing';
import { afterEach, describe, expect, it } from 'vitest';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the built app (`node dist/main.js`, what `pnpm start` runs) with the given env. */
function startApp(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: appDir, env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function waitForOutput(started: Started, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(started.output())) {
    if (Date.now() > deadline || started.child.exitCode !== null) {
      throw new Error(`app did not print ${pattern}; output:\n${started.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the built example app as a process', () => {
  let started: Started | undefined;
  afterEach(() => {
    if (started?.child.exitCode === null) started.child.kill('SIGKILL');
  });

  it('serves the chat on PORT with no external service, and exits cleanly on SIGTERM with a client connected', async () => {
    const port = await freePort();
    started = startApp({ PORT: String(port) });
    await waitForOutput(started, /listening on http:\/\/localhost:\d+/);

    const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Dana' }),
    });
    const { token } = (await login.json()) as { token: string };
    const socket = await connectClient(`http://127.0.0.1:${port}`, { namespace: 'chat', auth: { token } });
    expect(await socket.emitWithAck('message', { text: 'ping' })).toMatchObject({ status: 'ok' });

    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    started.child.kill('SIGTERM');
    // Nest closes the app, then re-raises the signal so the process ends the way it was asked to.
    expect(await started.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(started.output()).toMatch(/chat closed \(SIGTERM\)/);
    expect(await disconnected).toBe('transport close');
  });

  it('refuses to start on a malformed setting, naming the option', async () => {
    started = startApp({ PORT: '0', REALTIME_MAX_BUFFER_BYTES: 'lots' });
    expect((await started.exited).code).toBe(1);
    expect(started.output()).toMatch(/Invalid RealtimeModule option "maxHttpBufferSize": got NaN/);
  });
});
