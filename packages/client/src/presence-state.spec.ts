import { describe, expect, it } from 'vitest';
import type { PresenceUser } from './protocol.js';
import { applyJoin, applyLeave, applyUpdate, EMPTY_PRESENCE, syncState, type PresenceState } from './presence-state.js';

const user = (userId: string, ...connections: string[]): PresenceUser => ({
  userId,
  metas: connections.map((connectionId, i) => ({ connectionId, joinedAt: i })),
});
const ids = (users: PresenceUser[]) => users.map((u) => u.userId);
const list = (state: PresenceState) => [...state.values()];

describe('presence state', () => {
  it('syncs a full list: everyone joins once', () => {
    const { state, diff } = syncState(EMPTY_PRESENCE, [user('ada', 'a1'), user('bob', 'b1')]);
    expect(list(state)).toEqual([user('ada', 'a1'), user('bob', 'b1')]);
    expect(ids(diff.joined)).toEqual(['ada', 'bob']);
    expect(diff.left).toEqual([]);
    expect(diff.updated).toEqual([]);
  });

  it('rebuilds after a reconnect without joining again who is still there', () => {
    const before = syncState(EMPTY_PRESENCE, [user('ada', 'a1'), user('bob', 'b1'), user('cy', 'c1')]).state;
    // While we were away: bob left, cy opened a second tab, dee arrived.
    const { state, diff } = syncState(before, [user('ada', 'a1'), user('cy', 'c1', 'c2'), user('dee', 'd1')]);
    expect(ids(diff.joined)).toEqual(['dee']);
    expect(ids(diff.left)).toEqual(['bob']);
    expect(ids(diff.updated)).toEqual(['cy']);
    expect(ids(list(state))).toEqual(['ada', 'cy', 'dee']);
    // The same list again (the join's answer and presence:state both carry it): nothing changes.
    const again = syncState(state, list(state));
    expect(again.diff).toEqual({ joined: [], left: [], updated: [] });
  });

  it('counts a user once, whatever the number of tabs', () => {
    let state = syncState(EMPTY_PRESENCE, [user('ada', 'a1')]).state;
    const secondTab = applyUpdate(state, user('ada', 'a1', 'a2'));
    expect(ids(secondTab.diff.updated)).toEqual(['ada']);
    expect(secondTab.diff.joined).toEqual([]);
    state = secondTab.state;
    expect(list(state)).toEqual([user('ada', 'a1', 'a2')]);
    expect(applyUpdate(state, user('ada', 'a1', 'a2')).diff).toEqual({ joined: [], left: [], updated: [] });
  });

  it('handles joins, updates and leaves in any order', () => {
    // A leave for someone never seen, an update before the join, a join for someone known.
    let step = applyLeave(EMPTY_PRESENCE, 'ghost');
    expect(step.state).toBe(EMPTY_PRESENCE);
    step = applyUpdate(step.state, user('ada', 'a1'));
    expect(ids(step.diff.joined)).toEqual(['ada']);
    step = applyJoin(step.state, user('ada', 'a1'));
    expect(step.diff).toEqual({ joined: [], left: [], updated: [] });
    step = applyJoin(step.state, user('bob', 'b1'));
    expect(ids(step.diff.joined)).toEqual(['bob']);
    step = applyLeave(step.state, 'ada');
    expect(ids(step.diff.left)).toEqual(['ada']);
    step = applyLeave(step.state, 'ada');
    expect(step.diff.left).toEqual([]);
    expect(ids(list(step.state))).toEqual(['bob']);
  });

  it('never modifies the state it is given', () => {
    const state = syncState(EMPTY_PRESENCE, [user('ada', 'a1')]).state;
    applyJoin(state, user('bob', 'b1'));
    applyLeave(state, 'ada');
    syncState(state, []);
    expect(list(state)).toEqual([user('ada', 'a1')]);
  });
});
