import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REALTIME_OPTIONS, RealtimeModule, RealtimeService, type RealtimeModuleOptions, type ResolvedRealtimeOptions } from '../../src/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { RootEchoGateway } from '../support/echo-gateways.js';
import { SECRET, sign } from '../support/tokens.js';

@Injectable()
class RealtimeConfig {
  createRealtimeOptions(): RealtimeModuleOptions {
    return { pingInterval: 7000, transports: ['websocket'] };
  }
}

@Injectable()
class OptionsReader {
  constructor(@Inject(REALTIME_OPTIONS) readonly options: ResolvedRealtimeOptions) {}
}

/** Broadcasts, so clients hold an offset to recover from (Socket.IO recovers from the last broadcast seen). */
@WebSocketGateway()
class BroadcastGateway {
  @WebSocketServer() server!: Server;

  @SubscribeMessage('shout')
  shout(@MessageBody() text: string) {
    this.server.emit('shouted', text);
    return 'ok';
  }
}

@Module({ providers: [OptionsReader], exports: [OptionsReader] })
class FeatureModule {}

describe('forRootAsync variants', () => {
  it('useClass: options come from the class, defaults fill the rest', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [RealtimeModule.forRootAsync({ useClass: RealtimeConfig })] }).compile();
    const options = moduleRef.get<ResolvedRealtimeOptions>(REALTIME_OPTIONS);
    expect(options).toMatchObject({ pingInterval: 7000, transports: ['websocket'], path: '/socket.io', maxHttpBufferSize: 1_000_000 });
  });

  it('useExisting: reuses a provider from an imported module', async () => {
    @Module({ providers: [RealtimeConfig], exports: [RealtimeConfig] })
    class ConfigHolder {}
    const moduleRef = await Test.createTestingModule({
      imports: [RealtimeModule.forRootAsync({ imports: [ConfigHolder], useExisting: RealtimeConfig })],
    }).compile();
    expect(moduleRef.get<ResolvedRealtimeOptions>(REALTIME_OPTIONS).pingInterval).toBe(7000);
  });

  it('isGlobal: other modules inject REALTIME_OPTIONS without importing the module', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [RealtimeModule.forRoot({ path: '/global', isGlobal: true }), FeatureModule],
    }).compile();
    expect(moduleRef.get(OptionsReader).options.path).toBe('/global');
  });

  it('without isGlobal, a module that does not import it cannot inject the options', async () => {
    await expect(
      Test.createTestingModule({ imports: [RealtimeModule.forRoot({}), FeatureModule] }).compile(),
    ).rejects.toThrow(/OptionsReader/);
  });
});

describe('other server options', () => {
  let rt: RealtimeTestingApp | undefined;
  afterEach(() => {
    vi.restoreAllMocks();
    return rt?.close();
  });

  it('serveClient: serves the browser bundle only when enabled', async () => {
    rt = await createRealtimeTestingApp({ imports: [RealtimeModule.forRoot({ serveClient: true })], providers: [RootEchoGateway] });
    const served = await fetch(`${rt.url}/socket.io/socket.io.js`);
    expect(served.status).toBe(200);
    expect(await served.text()).toContain('Socket.IO');
    await rt.close();

    rt = await createRealtimeTestingApp({ imports: [RealtimeModule.forRoot({})], providers: [RootEchoGateway] });
    expect((await fetch(`${rt.url}/socket.io/socket.io.js`)).status).not.toBe(200);
  });

  it('connectionStateRecovery: a client that loses its connection gets its session back, re-authenticated', async () => {
    let handshakesVerified = 0;
    const validate = (claims: { sub?: string }) => {
      handshakesVerified++;
      return { id: claims.sub! };
    };
    rt = await createRealtimeTestingApp({
      imports: [
        RealtimeModule.forRoot({ connectionStateRecovery: { maxDisconnectionDuration: 10_000 }, auth: { secret: SECRET, validate } }),
      ],
      providers: [BroadcastGateway],
    });
    const socket = io(rt.url, { transports: ['websocket'], auth: { token: sign({ sub: 'r' }) }, reconnectionDelay: 50 });
    try {
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      expect(socket.recovered).toBe(false);
      const heard = new Promise((resolve) => socket.once('shouted', resolve));
      await socket.emitWithAck('shout', 'first');
      expect(await heard).toBe('first');
      const firstId = socket.id;
      socket.io.engine.close(); // the network drops
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      expect(socket.recovered).toBe(true);
      expect(socket.id).toBe(firstId);
      expect(handshakesVerified).toBe(2); // skipMiddlewares defaults to false: the token is checked again
      expect(await socket.emitWithAck('shout', 'back')).toBe('ok');
    } finally {
      socket.close();
    }
  });

  it('userRoomPrefix: authenticated sockets join <prefix><id>, which RealtimeService uses', async () => {
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, userRoomPrefix: 'member/' })],
      providers: [BroadcastGateway],
    });
    const socket = await rt.connect({ auth: { token: sign({ sub: 'kim' }) } });
    const realtime = rt.app.get(RealtimeService);
    expect((await realtime.socketsOf('kim')).map((s) => s.rooms)).toEqual([expect.arrayContaining([socket.id, 'member/kim'])]);
    const got = new Promise((resolve) => socket.once('ping-kim', resolve));
    realtime.toRoom('member/kim').emit('ping-kim', 1);
    expect(await got).toBe(1);
  });

  it('warns at boot when cookie tokens are accepted without an origin allowlist', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    rt = await createRealtimeTestingApp({ imports: [RealtimeModule.forRoot({ auth: { secret: SECRET } })], providers: [RootEchoGateway] });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('accepts tokens from cookies but has no cors.origin allowlist'));
    await rt.close();
    warn.mockClear();

    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ cors: { origin: ['https://app.example.com'] }, auth: { secret: SECRET } })],
      providers: [RootEchoGateway],
    });
    expect(warn).not.toHaveBeenCalledWith(expect.stringContaining('cookies'));
  });
});
