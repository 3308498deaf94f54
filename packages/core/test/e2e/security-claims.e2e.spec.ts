import { createHmac } from 'node:crypto';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeModule, WsAuthUser } from '../../src/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { SECRET } from '../support/tokens.js';

/** What the server sees of the connection's user, beyond what JSON would show a client. */
@WebSocketGateway()
class UserShapeGateway {
  @SubscribeMessage('shape')
  shape(@WsAuthUser() user: Record<string, unknown>) {
    return { id: user.id, ownPrototype: Object.getPrototypeOf(user) === Object.prototype, admin: user.admin ?? null };
  }
}

/** An HS256 token of the JSON text `payload` as it is (a signing library would refuse a `__proto__` key). */
function signRaw(payload: string): string {
  const unsigned = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
}

/**
 * The default `validate` made the user with `Object.assign({}, claims, ...)`: a `__proto__` claim
 * (JSON.parse keeps it as an own key) went through the `__proto__` setter and became the user's
 * prototype, so `user.admin` read `true` from a claim the token only nested.
 */
describe('claims that name __proto__ (pentest)', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await createRealtimeTestingApp({ imports: [RealtimeModule.forRoot({ auth: { secret: SECRET } })], providers: [UserShapeGateway] });
  });
  afterAll(() => rt?.close());

  it('never become the prototype of the user', async () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    const socket = await rt.connect({ token: signRaw(`{"sub":"eve","exp":${exp},"__proto__":{"admin":true}}`) });
    expect(await socket.emitWithAck('shape')).toEqual({ id: 'eve', ownPrototype: true, admin: null });
  });
});
