import { Logger } from '@nestjs/common';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RealtimeModule } from '../../src/index.js';
import { ConnectRefusedError, createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { WhoAmIGateway } from '../support/auth-gateways.js';
import { JwksServer, rsaKey, SECRET, sign } from '../support/tokens.js';

const refusalData = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: ConnectRefusedError) => ({ message: e.message, data: e.data }),
  );

describe('validate()', () => {
  let rt: RealtimeTestingApp | undefined;
  afterEach(() => {
    vi.restoreAllMocks();
    return rt?.close();
  });

  it('maps claims to the user, may be async, and sees the handshake', async () => {
    const seen: unknown[] = [];
    rt = await createRealtimeTestingApp({
      imports: [
        RealtimeModule.forRoot({
          auth: {
            secret: SECRET,
            validate: async (claims, handshake) => {
              seen.push({ namespace: handshake.namespace, agent: handshake.headers['x-client'] });
              await new Promise((resolve) => setTimeout(resolve, 5));
              return { id: `user-${claims.sub}`, roles: ['reader'] };
            },
          },
        }),
      ],
      providers: [WhoAmIGateway],
    });
    const socket = await rt.connect({ auth: { token: sign({ sub: '42' }) }, extraHeaders: { 'x-client': 'test-suite' } });
    expect(await socket.emitWithAck('whoami')).toMatchObject({ id: 'user-42', user: { id: 'user-42', roles: ['reader'] } });
    expect(seen).toEqual([{ namespace: '/', agent: 'test-suite' }]);
  });

  it('refuses when validate returns null, and when it throws, without leaking the thrown message', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    rt = await createRealtimeTestingApp({
      imports: [
        RealtimeModule.forRoot({
          auth: {
            secret: SECRET,
            validate: (claims) => {
              if (claims.sub === 'banned') return null;
              if (claims.sub === 'boom') throw new Error('db password hunter2 rejected');
              return { id: String(claims.sub) };
            },
          },
        }),
      ],
      providers: [WhoAmIGateway],
    });
    expect(await refusalData(rt.connect({ auth: { token: sign({ sub: 'banned' }) } }))).toEqual({
      message: 'Token refused',
      data: { code: 'UNAUTHENTICATED', reason: 'invalid_token' },
    });
    const thrown = await refusalData(rt.connect({ auth: { token: sign({ sub: 'boom' }) } }));
    expect(thrown).toEqual({ message: 'Token refused', data: { code: 'UNAUTHENTICATED', reason: 'invalid_token' } });
    expect(JSON.stringify(thrown)).not.toContain('hunter2');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('hunter2'));

    const fine = await rt.connect({ auth: { token: sign({ sub: 'ok' }) } });
    expect(await fine.emitWithAck('whoami')).toMatchObject({ id: 'ok' });
  });

  it('refuses, and logs the bug, when validate returns a user without an id', async () => {
    const error = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET, validate: () => ({ name: 'no id' }) as never } })],
      providers: [WhoAmIGateway],
    });
    expect((await refusalData(rt.connect({ auth: { token: sign({ sub: 'x' }) } }))).data).toMatchObject({ reason: 'invalid_token' });
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/validate\(\) must return an object with a string or number `id`/));
  });
});

describe('key sources', () => {
  let rt: RealtimeTestingApp | undefined;
  let jwks: JwksServer | undefined;
  afterEach(async () => {
    await rt?.close();
    await jwks?.stop();
    rt = undefined;
    jwks = undefined;
  });

  it('verifies RS256 tokens with a PEM public key', async () => {
    const key = rsaKey('pem');
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { publicKey: key.publicKeyPem } })],
      providers: [WhoAmIGateway],
    });
    const socket = await rt.connect({ auth: { token: key.sign({ sub: 'rsa-user' }) } });
    expect(await socket.emitWithAck('whoami')).toMatchObject({ id: 'rsa-user' });
    // An HS256 token "signed" with the public key text must not pass (algorithm confusion).
    const confused = sign({ sub: 'eve' }, { secret: key.publicKeyPem, algorithm: 'HS256' });
    expect((await refusalData(rt.connect({ auth: { token: confused } }))).data).toMatchObject({ reason: 'invalid_token' });
    expect((await refusalData(rt.connect({ auth: { token: rsaKey('other').sign({ sub: 'eve' }) } }))).data).toMatchObject({ reason: 'invalid_token' });
  });

  it('verifies RS256 tokens from a JWKS endpoint, with key rotation to a new kid', async () => {
    const first = rsaKey('key-1');
    const second = rsaKey('key-2');
    jwks = await new JwksServer().start();
    jwks.keys = [first];
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { jwksUri: jwks.url } })],
      providers: [WhoAmIGateway],
    });

    const a = await rt.connect({ auth: { token: first.sign({ sub: 'a' }) } });
    const b = await rt.connect({ auth: { token: first.sign({ sub: 'b' }) } });
    expect(await a.emitWithAck('whoami')).toMatchObject({ id: 'a' });
    expect(await b.emitWithAck('whoami')).toMatchObject({ id: 'b' });
    expect(jwks.fetches).toBe(1); // cached

    jwks.keys = [first, second]; // the issuer rotates in a new key
    const c = await rt.connect({ auth: { token: second.sign({ sub: 'c' }) } });
    expect(await c.emitWithAck('whoami')).toMatchObject({ id: 'c' });
    expect(jwks.fetches).toBe(2); // fetched again for the unknown kid

    // Forged kids cannot make the server hammer the JWKS endpoint: after a fetch for an unknown
    // kid, the next one waits for the cooldown.
    const forged = rsaKey('forged');
    for (let i = 0; i < 3; i++) {
      expect((await refusalData(rt.connect({ auth: { token: forged.sign({ sub: 'eve' }) } }))).data).toMatchObject({ reason: 'invalid_token' });
    }
    expect(jwks.fetches).toBe(2);
  });

  it('uses an existing JwtService from the app (forRootAsync + JwtModule)', async () => {
    rt = await createRealtimeTestingApp({
      imports: [
        RealtimeModule.forRootAsync({
          imports: [JwtModule.register({ secret: SECRET, verifyOptions: { issuer: 'app' } })],
          inject: [JwtService],
          useFactory: (jwtService: JwtService) => ({ auth: { jwtService } }),
        }),
      ],
      providers: [WhoAmIGateway],
    });
    const socket = await rt.connect({ auth: { token: sign({ sub: 'svc' }, { issuer: 'app' }) } });
    expect(await socket.emitWithAck('whoami')).toMatchObject({ id: 'svc' });
    // The JwtService's own verifyOptions apply.
    expect((await refusalData(rt.connect({ auth: { token: sign({ sub: 'svc' }, { issuer: 'other' }) } }))).data).toMatchObject({
      reason: 'invalid_token',
    });
  });
});
