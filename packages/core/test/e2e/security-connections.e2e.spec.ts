import { Logger } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { Test } from '@nestjs/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeIoAdapter, RealtimeModule, RealtimeService, type HandshakeInfo } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { AlphaEchoGateway, RootEchoGateway } from '../support/echo-gateways.js';
import { NativeGateway, PathlessNativeGateway } from '../support/native-ws-gateways.js';
import { RawEngineIoClient } from '../support/raw-engine-io.js';
import { JwksServer, rsaKey, SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';

describe('forgetting the adapter (security review, finding 3)', () => {
  it('fails the boot, naming the line to add to main.ts, instead of serving gateways without the handshake check', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET } })],
      providers: [RootEchoGateway],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await expect(app.listen(0, '127.0.0.1')).rejects.toThrow(
      /RootEchoGateway are served by IoAdapter.*app\.useWebSocketAdapter\(new RealtimeIoAdapter\(app\)\)/,
    );
    await app.close();
  });

  it("names RealtimeWsAdapter for an app whose gateways Nest's WsAdapter serves: RealtimeIoAdapter would turn its native clients away", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET } })],
      providers: [PathlessNativeGateway],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    app.useWebSocketAdapter(new WsAdapter(app));
    const boot = app.listen(0, '127.0.0.1');
    await expect(boot).rejects.toThrow(
      /PathlessNativeGateway are served by WsAdapter.*app\.useWebSocketAdapter\(new RealtimeWsAdapter\(app\)\); \(RealtimeWsAdapter from '@nestjs-realtime\/core\/ws'\)/,
    );
    await expect(boot).rejects.not.toThrow(/RealtimeIoAdapter/);
    await app.close();
  });
});

describe('several CONNECTs on one Engine.IO connection (security review, finding 8)', () => {
  let rt: RealtimeTestingApp;
  // Holds the first CONNECT's token check until the test lets it finish, so that all 200 are in flight together.
  let releaseValidation: () => void = () => undefined;
  let validations = 0;
  beforeAll(async () => {
    rt = await createRealtimeTestingApp({
      imports: [
        RealtimeModule.forRoot({
          auth: {
            secret: SECRET,
            validate: async (claims) => {
              validations += 1;
              if (claims.sub === 'multi') await new Promise<void>((resolve) => (releaseValidation = resolve));
              return { id: String(claims.sub) };
            },
          },
          limits: { maxConnectionsPerUser: 3 },
        }),
      ],
      providers: [RootEchoGateway, AlphaEchoGateway],
    });
  });
  afterAll(() => rt?.close());

  it('makes one socket per namespace while 200 are in flight; the other 199 are refused, and a notification arrives once', async () => {
    const raw = await RawEngineIoClient.open(rt.url);
    const token = sign({ sub: 'multi' });
    const before = validations;
    for (let i = 0; i < 200; i++) raw.send(`40/alpha,${JSON.stringify({ token })}`);
    const refused = () => raw.packets.filter((p) => p.nsp === '/alpha' && p.type === 4);
    await raw.until(() => (refused().length === 199 ? true : undefined), 10_000);
    expect(refused()).toHaveLength(199);
    expect(refused()[0].data).toMatchObject({ data: { code: 'FORBIDDEN', reason: 'duplicate_namespace' } });
    // Refused before their tokens were even checked.
    expect(validations - before).toBe(1);

    releaseValidation();
    await raw.until(() => raw.packets.find((p) => p.nsp === '/alpha' && p.type === 0), 5000);
    expect(raw.packets.filter((p) => p.nsp === '/alpha' && p.type === 0)).toHaveLength(1);
    expect(await rt.app.get(RealtimeService).socketsOf('multi')).toHaveLength(1);

    rt.app.get(RealtimeService).toUser('multi').emit('note', 'once');
    // Whatever the notification reaches, it reaches before an echo answered after it.
    raw.send('42/alpha,7["echo","after"]');
    await raw.until(() => raw.packets.find((p) => p.type === 3 && p.id === 7), 3000);
    expect(raw.packets.filter((p) => p.type === 2 && JSON.stringify(p.data) === '["note","once"]')).toHaveLength(1);
    raw.close();
  });

  it('lets the connection reconnect a namespace it left', async () => {
    const raw = await RawEngineIoClient.open(rt.url);
    const token = sign({ sub: 'again' });
    expect(await raw.connectNamespace('/alpha', { token })).toMatchObject({ type: 0 });
    raw.send('41/alpha,');
    await expect.poll(async () => (await rt.app.get(RealtimeService).socketsOf('again')).length).toBe(0);
    expect(await raw.connectNamespace('/alpha', { token })).toMatchObject({ type: 0 });
    raw.close();
  });

  it('counts each namespace socket toward maxConnectionsPerUser', async () => {
    const raw = await RawEngineIoClient.open(rt.url);
    const token = sign({ sub: 'counted' });
    expect(await raw.connectNamespace('/', { token })).toMatchObject({ type: 0 });
    expect(await raw.connectNamespace('/alpha', { token })).toMatchObject({ type: 0 });
    await rt.connect({ user: { id: 'counted' } });
    await expect(rt.connect({ user: { id: 'counted' } })).rejects.toMatchObject({ data: { reason: 'too_many_connections' } });
    raw.close();
  });
});

describe('trustProxy (security review, finding 9)', () => {
  let rt: RealtimeTestingApp | undefined;
  const seen: string[] = [];
  afterEach(async () => {
    await rt?.close();
    rt = undefined;
    seen.length = 0;
  });
  const boot = async (trustProxy?: number) => {
    rt = await createRealtimeTestingApp(
      {
        imports: [
          RealtimeModule.forRoot({
            trustProxy,
            auth: {
              secret: SECRET,
              validate: (claims, handshake: HandshakeInfo) => {
                seen.push(handshake.address);
                return { id: String(claims.sub) };
              },
            },
            limits: { handshakesPerIp: { points: 2, durationMs: 60_000 } },
          }),
        ],
        providers: [RootEchoGateway, NativeGateway],
      },
      { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
    );
    return rt;
  };
  const from = (ip: string) => ({ extraHeaders: { 'X-Forwarded-For': ip }, timeoutMs: 2000 });

  it('behind one proxy, counts handshakes per forwarded client and shows validate() its address, on both transports', async () => {
    const app = await boot(1);
    await app.connect({ user: { id: 'a' }, ...from('203.0.113.1') });
    await app.connect({ user: { id: 'b' }, ...from('203.0.113.1') });
    await expect(app.connect({ user: { id: 'c' }, ...from('203.0.113.1') })).rejects.toThrow();
    // Another user behind the same proxy is not locked out.
    await app.connect({ user: { id: 'd' }, ...from('203.0.113.2') });
    const native = await WsTestClient.open(`${app.url.replace('http', 'ws')}/ws`, {
      headers: { Authorization: `Bearer ${sign({ sub: 'e' })}`, 'X-Forwarded-For': '203.0.113.3' },
    });
    expect(seen).toEqual(['203.0.113.1', '203.0.113.1', '203.0.113.2', '203.0.113.3']);
    native.close();
  });

  it('by default, never believes X-Forwarded-For: a client cannot pick its address', async () => {
    const app = await boot();
    await app.connect({ user: { id: 'a' }, ...from('203.0.113.1') });
    await app.connect({ user: { id: 'b' }, ...from('203.0.113.2') });
    await expect(app.connect({ user: { id: 'c' }, ...from('203.0.113.3') })).rejects.toThrow();
    expect(seen.every((address) => address.endsWith('127.0.0.1'))).toBe(true);
  });

  it('refuses a trustProxy that is not one, at boot', async () => {
    await expect(boot('10.0.0.0/33' as never)).rejects.toThrow(/trustProxy/);
  });
});

describe('logs are not an attack surface (security review, finding 10)', () => {
  let rt: RealtimeTestingApp | undefined;
  let jwks: JwksServer | undefined;
  afterEach(async () => {
    await rt?.close();
    await jwks?.stop();
    vi.restoreAllMocks();
  });

  it('writes a flood of refused handshakes with a forged kid as one short, single-line entry', async () => {
    jwks = await new JwksServer().start();
    jwks.keys = [rsaKey('real')];
    rt = await createRealtimeTestingApp({
      // Room for the 500 KB kid below: the handshake auth object is bounded at 16 KiB by default.
      imports: [RealtimeModule.forRoot({ auth: { jwksUri: jwks.url }, limits: { maxHandshakeAuthBytes: 1_000_000 } })],
      providers: [RootEchoGateway],
    });
    const lines: string[] = [];
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
      vi.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    }
    const forged = rsaKey(`x\n[Nest] 1 - FORGED LOG LINE\u001b[31m${'A'.repeat(500_000)}`).sign({ sub: 'mallory' });
    for (let i = 0; i < 20; i++) {
      await expect(rt.connect({ token: forged })).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED', reason: 'invalid_token' } });
    }
    const written = lines.join('\n');
    expect(written.length).toBeLessThan(2_000);
    expect(written).not.toContain('\n[Nest] 1 - FORGED');
    expect(written).not.toContain('\u001b');
    expect(lines.filter((line) => line.includes('Token verification failed'))).toHaveLength(1);
  });
});
