import { JwtModule, JwtService } from '@nestjs/jwt';
import { afterEach, describe, expect, it } from 'vitest';
import { RealtimeModule } from '../../src/index.js';
import { createRealtimeTestingApp, signToken, type RealtimeTestingApp } from '../../src/testing/index.js';
import { WhoAmIGateway } from '../support/auth-gateways.js';
import { rsaKey, SECRET } from '../support/tokens.js';

describe('the test kit', () => {
  let rt: RealtimeTestingApp | undefined;
  afterEach(() => rt?.close());

  it('connect({ user }) signs a token with the app\'s secret, issuer and audience', async () => {
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET, issuer: 'https://id.example', audience: ['chat', /^x-/] } })],
      providers: [WhoAmIGateway],
    });
    const socket = await rt.connect({ user: { id: 'ada', name: 'Ada' } });
    expect(await socket.emitWithAck('whoami')).toMatchObject({ id: 'ada', user: { name: 'Ada', iss: 'https://id.example', aud: 'chat' } });
    const viaToken = await rt.connect({ token: rt.signToken({ sub: 'bob' }) });
    expect(await viaToken.emitWithAck('whoami')).toMatchObject({ id: 'bob' });
  });

  it('signs with the app\'s JwtService when auth uses one', async () => {
    rt = await createRealtimeTestingApp({
      imports: [
        RealtimeModule.forRootAsync({
          imports: [JwtModule.register({ secret: SECRET, signOptions: { issuer: 'svc' }, verifyOptions: { issuer: 'svc' } })],
          inject: [JwtService],
          useFactory: (jwtService: JwtService) => ({ auth: { jwtService } }),
        }),
      ],
      providers: [WhoAmIGateway],
    });
    const socket = await rt.connect({ token: signToken(rt.app, { sub: 'svc-user' }) });
    expect(await socket.emitWithAck('whoami')).toMatchObject({ id: 'svc-user' });
  });

  it('says why it cannot sign for an app that verifies with a public key', async () => {
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { publicKey: rsaKey('k').publicKeyPem } })],
      providers: [WhoAmIGateway],
    });
    expect(() => rt!.signToken({ sub: 'x' })).toThrow(/public key or JWKS, so only your issuer can sign/);
  });
});
