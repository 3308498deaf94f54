import { WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeModule, RealtimeService } from '../../src/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { AlphaEchoGateway } from '../support/echo-gateways.js';
import { RawEngineIoClient, type SioPacket } from '../support/raw-engine-io.js';
import { SECRET, sign } from '../support/tokens.js';

/** A gateway whose app middleware rebuilds `socket.data` from its entries (string keys only). */
@WebSocketGateway({ namespace: 'beta' })
class RebuildsDataGateway implements OnGatewayInit {
  afterInit(namespace: Namespace) {
    namespace.use((socket, next) => {
      socket.data = { ...Object.fromEntries(Object.entries(socket.data as object)), tenant: 'acme' };
      next();
    });
  }
}

/**
 * Connection-state recovery (on by default with the streams adapter): a client that reconnects
 * with its session's private id (`pid`) and last offset gets its rooms and missed packets back.
 * Socket.IO wrote the missed packets while creating the socket, before the handshake check ran,
 * and restored the session's rooms (its user's room among them) for any valid token.
 */
describe('connection-state recovery and the handshake (pentest)', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, connectionStateRecovery: true })],
      providers: [AlphaEchoGateway, RebuildsDataGateway],
    });
  });
  afterAll(() => rt?.close());

  const service = () => rt.app.get(RealtimeService);
  const events = (client: RawEngineIoClient, nsp = '/alpha') => client.packets.filter((p) => p.nsp === nsp && p.type === 2).map((p) => p.data);

  /** A user's session on /alpha that receives `secret` once, then drops its connection and misses a second one. */
  async function sessionThatMissedAPacket(userId: string, namespace = '/alpha'): Promise<{ pid: string; offset: string }> {
    const victim = await RawEngineIoClient.open(rt.url);
    const connected = (await victim.connectNamespace(namespace, { token: sign({ sub: userId }) })) as SioPacket;
    const { pid } = connected.data as { pid: string };
    service().toUser(userId, { namespace }).emit('secret', 'seen');
    const seen = await victim.until(() => victim.packets.find((p) => p.type === 2 && (p.data as unknown[])[0] === 'secret'), 3000);
    const offset = ((seen as SioPacket).data as string[]).at(-1)!;
    victim.close();
    await expect.poll(async () => (await service().socketsOf(userId)).length).toBe(0);
    service().toUser(userId, { namespace }).emit('secret', 'missed');
    return { pid, offset };
  }

  it('sends a session\'s missed packets to no one whose token is refused', async () => {
    const session = await sessionThatMissedAPacket('victim-1');
    const attacker = await RawEngineIoClient.open(rt.url);
    const answer = await attacker.connectNamespace('/alpha', { ...session, token: 'not-a-token' });
    expect(answer).toMatchObject({ type: 4, data: { data: { code: 'UNAUTHENTICATED', reason: 'invalid_token' } } });
    // Anything written before the refusal has arrived by now.
    expect(events(attacker)).toEqual([]);
    attacker.close();
  });

  it("refuses another user's token for the session: no missed packets, and none of its rooms", async () => {
    const session = await sessionThatMissedAPacket('victim-2');
    const attacker = await RawEngineIoClient.open(rt.url);
    const answer = await attacker.connectNamespace('/alpha', { ...session, token: sign({ sub: 'mallory' }) });
    expect(answer).toMatchObject({ type: 4, data: { message: 'The recovered session belongs to another user', data: { code: 'FORBIDDEN', reason: 'subject_mismatch' } } });
    expect(events(attacker)).toEqual([]);
    expect(await service().socketsOf('victim-2')).toEqual([]);
    attacker.close();
  });

  it('gives the session back to its own user, missed packets included, once the token is verified', async () => {
    const session = await sessionThatMissedAPacket('owner');
    const owner = await RawEngineIoClient.open(rt.url);
    const answer = await owner.connectNamespace('/alpha', { ...session, token: sign({ sub: 'owner' }) });
    expect(answer).toMatchObject({ type: 0, data: { pid: session.pid } });
    await owner.until(() => (events(owner).length > 0 ? true : undefined), 3000);
    expect(events(owner)).toEqual([['secret', 'missed', expect.any(String)]]);
    expect(await service().socketsOf('owner')).toHaveLength(1);
    owner.close();
  });

  it("keeps the missed packets for their owner when an app middleware rebuilds socket.data", async () => {
    const session = await sessionThatMissedAPacket('owner-2', '/beta');
    const owner = await RawEngineIoClient.open(rt.url);
    const answer = await owner.connectNamespace('/beta', { ...session, token: sign({ sub: 'owner-2' }) });
    expect(answer).toMatchObject({ type: 0, data: { pid: session.pid } });
    await owner.until(() => (events(owner, '/beta').length > 0 ? true : undefined), 3000);
    expect(events(owner, '/beta')).toEqual([['secret', 'missed', expect.any(String)]]);
    owner.close();
  });
});
