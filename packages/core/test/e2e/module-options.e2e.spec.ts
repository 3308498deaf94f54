import { Inject, Injectable, Logger, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REALTIME_OPTIONS, RealtimeIoAdapter, RealtimeModule, RealtimeService, type RealtimeModuleOptions, type ResolvedRealtimeOptions } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { RootEchoGateway } from '../support/echo-gateways.js';
import { NativeGateway } from '../support/native-ws-gateways.js';
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

  describe('warnings at boot', () => {
    /** Every warning the app's loggers print, whichever logger and whichever way it is called. */
    const captureWarnings = () => {
      const warnings: string[] = [];
      const record = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
      vi.spyOn(Logger.prototype, 'warn').mockImplementation(record);
      vi.spyOn(Logger, 'warn').mockImplementation(record);
      return warnings;
    };
    const bothTransports = (app: INestApplication) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) });
    const boot = (auth: RealtimeModuleOptions['auth'], cors?: RealtimeModuleOptions['cors']) =>
      createRealtimeTestingApp(
        { imports: [RealtimeModule.forRoot({ auth, ...(cors ? { cors } : {}) })], providers: [RootEchoGateway, NativeGateway] },
        { adapter: bothTransports },
      );

    it('prints none for a default setup (auth with a secret, no cors), on either transport', async () => {
      const warnings = captureWarnings();
      rt = await boot({ secret: SECRET });
      expect(rt.app.get<ResolvedRealtimeOptions>(REALTIME_OPTIONS).auth?.tokenSources).toEqual(['auth', 'header']);
      expect(warnings).toEqual([]);
    });

    it('warns, once per transport, when the cookie source is on without an origin allowlist', async () => {
      const warnings = captureWarnings();
      rt = await boot({ secret: SECRET, tokenSources: ['auth', 'header', 'cookie'] });
      // Sorted: the order the gateways' servers are created in is Nest's.
      expect([...warnings].sort()).toEqual([
        expect.stringContaining('Native WebSocket gateways accept tokens from cookies but the app has no cors.origin allowlist'),
        expect.stringContaining('Socket.IO server on path /socket.io accepts tokens from cookies but has no cors.origin allowlist'),
      ]);
    });

    it('prints none for the cookie source behind an allowlist of origins', async () => {
      const warnings = captureWarnings();
      rt = await boot({ secret: SECRET, tokenSources: ['cookie'] }, { origin: ['https://app.example.com'] });
      expect(warnings).toEqual([]);
    });
  });
});
