import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRAINING_EVENT } from '@nestjs-realtime/core';
import { connectClient, freePort, waitForEvent } from '@nestjs-realtime/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { appDir, login, startApp, type AppProcess } from './support/app-process.js';

// `pnpm start` as a real process: CommonJS output that require()s NestJS 12 and
// @nestjs-realtime/core, both ES modules (Node's require(esm)).
describe('the built app (node dist/main.js)', () => {
  let app: AppProcess | undefined;
  afterEach(() => {
    if (app?.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    app = undefined;
  });

  it('is CommonJS, as `nest new` generates', () => {
    expect(JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'))).not.toHaveProperty('type');
    const main = readFileSync(join(appDir, 'dist', 'main.js'), 'utf8');
    expect(main).toContain('require("@nestjs/core")');
    expect(main).toContain('require("@nestjs-realtime/core")');
  });

  it('serves the chat: a signed-in client gets its acks, one without a token is refused; SIGTERM drains it', async () => {
    const port = await freePort();
    app = startApp({ PORT: String(port), JWT_SECRET: 'a-secret-of-the-process-test-0123456789abcdef' });
    await app.printed(/Nest application successfully started/);
    const url = `http://127.0.0.1:${port}`;

    await expect(connectClient(url, { namespace: 'chat' })).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED', reason: 'missing_token' },
    });
    const socket = await connectClient(url, { namespace: 'chat', auth: { token: await login(url, 'Dana') } });
    expect(await socket.emitWithAck('joinRoom', { room: 'general' })).toMatchObject({ status: 'ok', room: 'general' });
    expect(await socket.emitWithAck('message', { room: 'general', text: 'hi' })).toMatchObject({ status: 'ok' });

    const draining = waitForEvent(socket, DRAINING_EVENT);
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    app.child.kill('SIGTERM');
    // enableShutdownHooks(): Nest closes the app (clients are told, then disconnected), then ends
    // the process with the signal it got.
    expect(await draining).toMatchObject({ reconnectDelayMs: expect.any(Number) });
    expect(await disconnected).toBe('transport close');
    expect(await app.exited).toEqual({ code: null, signal: 'SIGTERM' });
  }, 30_000);

  it('refuses to start without JWT_SECRET, saying so', async () => {
    app = startApp({ PORT: '0', JWT_SECRET: undefined });
    expect((await app.exited).code).toBe(1);
    expect(app.output()).toContain('JWT_SECRET is not set');
  }, 30_000);
});
