import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeModule, type RealtimeAuthOptions } from '../../src/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { LobbyGateway, WhoAmIGateway } from '../support/auth-gateways.js';
import { SECRET, sign, unsignedToken } from '../support/tokens.js';
import { refusal } from '../support/refusal.js';

const bootWith = (auth: Partial<RealtimeAuthOptions>) =>
  createRealtimeTestingApp({
    imports: [RealtimeModule.forRoot({ auth: { secret: SECRET, ...auth } })],
    providers: [WhoAmIGateway, LobbyGateway],
  });


describe('handshake authentication', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await bootWith({ issuer: 'https://id.example', audience: 'chat' });
  });
  afterAll(() => rt?.close());

  const good = (sub = 'alice', extra: Record<string, unknown> = {}) =>
    sign({ sub, name: `${sub} example`, ...extra }, { issuer: 'https://id.example', audience: 'chat', expiresIn: '5m' });

  describe('token sources', () => {
    it('authenticates from handshake.auth.token', async () => {
      const socket = await rt.connect({ auth: { token: good('alice') } });
      expect(await socket.emitWithAck('whoami')).toMatchObject({ id: 'alice', user: { id: 'alice', name: 'alice example' } });
    });

    it('authenticates from an Authorization: Bearer header', async () => {
      const socket = await rt.connect({ extraHeaders: { Authorization: `Bearer ${good('bob')}` } });
      expect(await socket.emitWithAck('whoami')).toMatchObject({ id: 'bob' });
    });

    it('ignores the access_token cookie: the cookie source is off unless tokenSources lists it', async () => {
      const { data } = await refusal(rt.connect({ extraHeaders: { Cookie: `theme=dark; access_token=${good('carol')}` } }));
      expect(data).toEqual({ code: 'UNAUTHENTICATED', reason: 'missing_token' });
    });

    it('refuses a query-string token while query is not enabled', async () => {
      const { data } = await refusal(rt.connect({ query: { token: good('dave') } }));
      expect(data).toEqual({ code: 'UNAUTHENTICATED', reason: 'missing_token' });
    });

    it('takes the first source in the default order (auth before header)', async () => {
      const socket = await rt.connect({ auth: { token: good('first') }, extraHeaders: { Authorization: `Bearer ${good('second')}` } });
      expect(await socket.emitWithAck('whoami')).toMatchObject({ id: 'first' });
    });
  });

  describe('refused tokens get connect_error with the reason, and the server keeps serving', () => {
    const cases: [string, () => string, string, RegExp][] = [
      ['malformed', () => 'not-a-jwt', 'invalid_token', /^Invalid token$/],
      ['wrong signature', () => sign({ sub: 'eve' }, { secret: 'another-secret-that-is-also-long-enough!!', issuer: 'https://id.example', audience: 'chat' }), 'invalid_token', /^Invalid token$/],
      ['alg none', () => unsignedToken({ sub: 'eve', iss: 'https://id.example', aud: 'chat' }), 'invalid_token', /^Invalid token$/],
      ['another algorithm (HS512 while HS256 is pinned)', () => sign({ sub: 'eve' }, { algorithm: 'HS512', issuer: 'https://id.example', audience: 'chat' }), 'invalid_token', /^Invalid token$/],
      ['wrong issuer', () => sign({ sub: 'eve' }, { issuer: 'https://evil.example', audience: 'chat' }), 'invalid_token', /^Invalid token$/],
      ['wrong audience', () => sign({ sub: 'eve' }, { issuer: 'https://id.example', audience: 'billing' }), 'invalid_token', /^Invalid token$/],
      ['expired', () => sign({ sub: 'eve', exp: Math.floor(Date.now() / 1000) - 60 }, { issuer: 'https://id.example', audience: 'chat' }), 'expired_token', /^Token expired$/],
      ['not yet valid', () => sign({ sub: 'eve' }, { notBefore: '1h', issuer: 'https://id.example', audience: 'chat' }), 'invalid_token', /^Token not valid yet$/],
      ['without sub (default validate)', () => sign({ name: 'nobody' }, { issuer: 'https://id.example', audience: 'chat' }), 'invalid_token', /^Token refused$/],
    ];

    it.each(cases)('%s', async (_name, token, reason, message) => {
      const bystander = await rt.connect({ auth: { token: good('bystander') } });
      const refused = await refusal(rt.connect({ auth: { token: token() } }));
      expect(refused.data).toEqual({ code: 'UNAUTHENTICATED', reason });
      expect(refused.message).toMatch(message);
      expect(await bystander.emitWithAck('whoami')).toMatchObject({ id: 'bystander' });
    });

    it('no token at all', async () => {
      const refused = await refusal(rt.connect());
      expect(refused).toEqual({ message: 'Authentication required: no token was sent', data: { code: 'UNAUTHENTICATED', reason: 'missing_token' } });
    });

    it('a refused token is not rescued by a later source', async () => {
      const refused = await refusal(rt.connect({ auth: { token: 'garbage' }, extraHeaders: { Authorization: `Bearer ${good('zed')}` } }));
      expect(refused.data).toEqual({ code: 'UNAUTHENTICATED', reason: 'invalid_token' });
    });
  });

  describe('identity comes only from the verified token', () => {
    it('ignores a user or id the client puts in handshake.auth', async () => {
      const socket = await rt.connect({ auth: { token: good('mallory'), user: { id: 'admin' }, userId: 'admin', id: 'admin' } });
      expect(await socket.emitWithAck('whoami')).toEqual({
        id: 'mallory',
        dataUserId: 'mallory',
        user: expect.objectContaining({ id: 'mallory', sub: 'mallory' }),
      });
    });

    it('ignores ids in the message payload', async () => {
      const socket = await rt.connect({ auth: { token: good('mallory') } });
      expect(await socket.emitWithAck('whoami-with-payload', { id: 'admin', user: { id: 'admin' } })).toEqual({
        id: 'mallory',
        body: { id: 'admin', user: { id: 'admin' } },
      });
    });
  });

  describe('public namespace and @Public()', () => {
    it('lets a client without a token into a public namespace and a @Public() handler', async () => {
      const anonymous = await rt.connect({ namespace: 'lobby' });
      expect(await anonymous.emitWithAck('hello')).toEqual({ greeting: 'hello', id: null });
    });

    it('keeps WsJwtGuard on the non-public handlers of that namespace', async () => {
      const anonymous = await rt.connect({ namespace: 'lobby' });
      expect(await anonymous.emitWithAck('members-only')).toMatchObject({
        status: 'error',
        code: 'UNAUTHENTICATED',
        details: { reason: 'missing_token' },
        event: 'members-only',
      });
      const member = await rt.connect({ namespace: 'lobby', auth: { token: good('alice') } });
      expect(await member.emitWithAck('members-only')).toEqual({ id: 'alice' });
    });

    it('still refuses an invalid token on a public namespace', async () => {
      const refused = await refusal(rt.connect({ namespace: 'lobby', auth: { token: 'garbage' } }));
      expect(refused.data).toEqual({ code: 'UNAUTHENTICATED', reason: 'invalid_token' });
    });

    it('keeps the main namespace private', async () => {
      expect((await refusal(rt.connect())).data).toMatchObject({ reason: 'missing_token' });
    });
  });
});

describe('token source options', () => {
  let rt: RealtimeTestingApp | undefined;
  afterEach(() => rt?.close());

  it('honours a configured order (header before auth)', async () => {
    rt = await bootWith({ tokenSources: ['header', 'auth'] });
    const socket = await rt.connect({ auth: { token: sign({ sub: 'from-auth' }) }, extraHeaders: { Authorization: `Bearer ${sign({ sub: 'from-header' })}` } });
    expect(await socket.emitWithAck('whoami')).toMatchObject({ id: 'from-header' });
  });

  it('reads the access_token cookie once tokenSources lists cookie, after the sources before it', async () => {
    rt = await bootWith({ tokenSources: ['auth', 'header', 'cookie'] });
    const viaCookie = await rt.connect({ extraHeaders: { Cookie: `theme=dark; access_token=${sign({ sub: 'carol' })}` } });
    expect(await viaCookie.emitWithAck('whoami')).toMatchObject({ id: 'carol' });
    const both = await rt.connect({ auth: { token: sign({ sub: 'from-auth' }) }, extraHeaders: { Cookie: `access_token=${sign({ sub: 'from-cookie' })}` } });
    expect(await both.emitWithAck('whoami')).toMatchObject({ id: 'from-auth' });
  });

  it('reads the query when enabled, and a custom cookie name', async () => {
    rt = await bootWith({ tokenSources: ['cookie', 'query'], cookieName: 'sid' });
    const viaQuery = await rt.connect({ query: { token: sign({ sub: 'q' }) } });
    expect(await viaQuery.emitWithAck('whoami')).toMatchObject({ id: 'q' });
    const viaCookie = await rt.connect({ extraHeaders: { Cookie: `sid=${sign({ sub: 'c' })}` } });
    expect(await viaCookie.emitWithAck('whoami')).toMatchObject({ id: 'c' });
    // `auth` is not a source here.
    expect((await refusal(rt.connect({ auth: { token: sign({ sub: 'a' }) } }))).data).toMatchObject({ reason: 'missing_token' });
  });

  it('connects anonymously everywhere with required: false, but still verifies a token that is sent', async () => {
    rt = await bootWith({ required: false });
    const anonymous = await rt.connect();
    expect(await anonymous.emitWithAck('whoami')).toMatchObject({ status: 'error', code: 'UNAUTHENTICATED' });
    expect((await refusal(rt.connect({ auth: { token: 'garbage' } }))).data).toMatchObject({ reason: 'invalid_token' });
  });

  it('makes the namespaces in publicNamespaces public', async () => {
    rt = await bootWith({ publicNamespaces: ['/'] });
    const anonymous = await rt.connect();
    expect(anonymous.connected).toBe(true);
  });
});
