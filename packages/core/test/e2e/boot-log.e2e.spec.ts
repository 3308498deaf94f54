import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RealtimeIoAdapter, RealtimeModule } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { AlphaEchoGateway, RootEchoGateway } from '../support/echo-gateways.js';
import { NativeGateway, PathlessNativeGateway } from '../support/native-ws-gateways.js';
import { SECRET } from '../support/tokens.js';

type TestingAppArgs = Parameters<typeof createRealtimeTestingApp>;

/** Boots a real app and returns the lines `RealtimeModule` logged while it started. */
async function bootLines(metadata: TestingAppArgs[0], options?: TestingAppArgs[1]): Promise<{ rt: RealtimeTestingApp; lines: string[] }> {
  const log = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  const rt = await createRealtimeTestingApp(metadata, options);
  const lines = log.mock.calls
    .filter((_call, i) => (log.mock.contexts[i] as { context?: string }).context === 'RealtimeModule')
    .map((call) => String(call[0]));
  return { rt, lines };
}

describe('the boot line says what the app serves', () => {
  let rt: RealtimeTestingApp | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await rt?.close();
    rt = undefined;
  });

  it('a Socket.IO app: the Socket.IO path and transports, and no native WebSocket', async () => {
    const booted = await bootLines({
      imports: [RealtimeModule.forRoot({ path: '/live', transports: ['websocket'] })],
      providers: [RootEchoGateway, AlphaEchoGateway],
    });
    rt = booted.rt;
    expect(booted.lines).toHaveLength(1);
    expect(booted.lines[0]).toMatch(/^Socket\.IO on \/live \(websocket\); auth: none; adapter: in-memory \(single instance\); /);
    expect(booted.lines[0]).not.toContain('native WebSocket');
  });

  it('a native WebSocket app: its gateway paths, and no Socket.IO server', async () => {
    const booted = await bootLines(
      {
        imports: [RealtimeModule.forRoot({ path: '/live', auth: { secret: SECRET } })],
        providers: [PathlessNativeGateway, NativeGateway],
      },
      { adapter: (app) => new RealtimeWsAdapter(app) },
    );
    rt = booted.rt;
    expect(booted.lines).toHaveLength(1);
    expect(booted.lines[0]).toMatch(/^native WebSocket on \/, \/ws; auth: JWT via secret \(HS256\), tokens from /);
    expect(booted.lines[0]).not.toContain('Socket.IO');
  });

  it('both transports on one server: Socket.IO, then the native WebSocket paths', async () => {
    const booted = await bootLines(
      {
        imports: [RealtimeModule.forRoot({ auth: { secret: SECRET } })],
        providers: [RootEchoGateway, NativeGateway],
      },
      { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
    );
    rt = booted.rt;
    expect(booted.lines).toHaveLength(1);
    expect(booted.lines[0]).toMatch(/^Socket\.IO on \/socket\.io \(polling, websocket\); native WebSocket on \/ws; auth: JWT via secret /);
  });
});
