import { describe, expect, it } from 'vitest';
import type { PresenceUser } from './protocol.js';
import { RealtimeError } from './realtime-error.js';
import { RealtimeRoom, type RoomTransport } from './realtime-room.js';

const user = (userId: string): PresenceUser => ({ userId, metas: [{ connectionId: `${userId}-1`, joinedAt: 1 }] });

/** A transport that answers each call with the next scripted outcome. */
function scripted(...outcomes: (PresenceUser[] | RealtimeError)[]) {
  const calls: string[] = [];
  let forgotten = false;
  const transport: RoomTransport = {
    call: async (event) => {
      calls.push(event);
      const outcome = outcomes.shift();
      if (outcome instanceof RealtimeError) throw outcome;
      return { status: 'ok', users: outcome ?? [] };
    },
    forget: () => void (forgotten = true),
  };
  return { transport, calls, isForgotten: () => forgotten };
}

describe('RealtimeRoom', () => {
  it('settles `joined` with the join that succeeds after one lost with its connection', async () => {
    const { transport } = scripted(new RealtimeError('DISCONNECTED', 'lost'), [user('ada')]);
    const room = new RealtimeRoom('lobby', undefined, transport);
    await room.join(); // lost: the client joins again on its next connect
    await room.join();
    expect(await room.joined).toEqual([user('ada')]);
  });

  it('clears its users and calls onLeave for each when a rejoin is refused', async () => {
    const refusal = new RealtimeError('FORBIDDEN', 'no longer', { reason: 'banned' }, 'joinRoom');
    const { transport, isForgotten } = scripted([user('ada'), user('bob')], refusal);
    const room = new RealtimeRoom('lobby', undefined, transport);
    await room.join();
    const left: string[] = [];
    const refused: RealtimeError[] = [];
    room.onLeave((u) => left.push(u.userId));
    room.onRefused((e) => refused.push(e));
    await room.join();
    expect(room.users.getSnapshot()).toEqual([]);
    expect(left).toEqual(['ada', 'bob']);
    expect(refused).toEqual([refusal]);
    expect(isForgotten()).toBe(true);
  });

  it('rejects `joined` with the refusal of the first join', async () => {
    const { transport } = scripted(new RealtimeError('FORBIDDEN', 'too many', { reason: 'too_many_rooms' }, 'joinRoom'));
    const room = new RealtimeRoom('lobby', undefined, transport);
    await room.join();
    await expect(room.joined).rejects.toMatchObject({ code: 'FORBIDDEN', reason: 'too_many_rooms' });
  });

  it('publishes its users only when they change', async () => {
    const { transport } = scripted([user('ada')]);
    const room = new RealtimeRoom('lobby', undefined, transport);
    const published: PresenceUser[][] = [];
    room.users.subscribe((users) => published.push(users));
    await room.join();
    room.sync([user('ada')]); // presence:state carries the same list again
    expect(published).toEqual([[], [user('ada')]]);
  });
});
