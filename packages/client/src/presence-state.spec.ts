import { describe, expect, it } from 'vitest';
import type { PresenceUser } from './protocol.js';
import {
  applyDiff,
  applyJoin,
  applyLeave,
  applyUpdate,
  EMPTY_PRESENCE,
  endPaging,
  mergePage,
  nameInPaging,
  NEW_PAGING,
  syncState,
  type PresenceDiff,
  type PresenceState,
} from './presence-state.js';

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

  it('applies a diff: leaves, then joins and updates, each user once', () => {
    const state = syncState(EMPTY_PRESENCE, [user('ada', 'a1'), user('bob', 'b1')]).state;
    const { state: next, diff } = applyDiff(state, changes({ joined: [user('cy', 'c1')], left: [user('bob')], updated: [user('ada', 'a1', 'a2')] }));
    expect(ids(diff.left)).toEqual(['bob']);
    expect(diff.left[0]).toEqual(user('bob', 'b1')); // the entry known, not the diff's empty one
    expect(ids(diff.joined)).toEqual(['cy']);
    expect(ids(diff.updated)).toEqual(['ada']);
    expect(list(next)).toEqual([user('ada', 'a1', 'a2'), user('cy', 'c1')]);
    expect(list(state)).toEqual([user('ada', 'a1'), user('bob', 'b1')]);
  });

  it('applies a diff that tells nothing new as no change at all', () => {
    const state = syncState(EMPTY_PRESENCE, [user('ada', 'a1')]).state;
    // A leave of someone never seen, a join of someone known with the same metas.
    const step = applyDiff(state, changes({ joined: [user('ada', 'a1')], left: [user('ghost')] }));
    expect(step.state).toBe(state);
    expect(step.diff).toEqual(changes({}));
  });

  it('merges pages by user: a later page replaces an entry, and the end drops whom no page listed', () => {
    // Before a reconnect: ada, bob, cy. The rejoin's pages: ada; bob (with a new tab), dee; bob again, having left and come back.
    let state = syncState(EMPTY_PRESENCE, [user('ada', 'a1'), user('bob', 'b1'), user('cy', 'c1')]).state;
    let step = mergePage(state, NEW_PAGING, [user('ada', 'a1')]);
    expect(step.diff).toEqual(changes({}));
    step = mergePage(step.state, step.paging, [user('bob', 'b1', 'b2'), user('dee', 'd1')]);
    expect(ids(step.diff.updated)).toEqual(['bob']);
    expect(ids(step.diff.joined)).toEqual(['dee']);
    step = mergePage(step.state, step.paging, [user('bob', 'b3')]);
    expect(step.diff.updated).toEqual([user('bob', 'b3')]);
    const end = endPaging(step.state, step.paging);
    expect(ids(end.diff.left)).toEqual(['cy']);
    expect(list(end.state)).toEqual([user('ada', 'a1'), user('bob', 'b3'), user('dee', 'd1')]);
  });

  it('never lets a page undo a change seen during the paging', () => {
    let state = syncState(EMPTY_PRESENCE, [user('ada', 'a1'), user('bob', 'b1'), user('cy', 'c1')]).state;
    let paging = NEW_PAGING;
    // While the pages are on their way: bob leaves, cy opens a tab, dee arrives.
    const seen = changes({ left: [user('bob')], updated: [user('cy', 'c1', 'c2')], joined: [user('dee', 'd1')] });
    paging = nameInPaging(paging, seen);
    state = applyDiff(state, seen).state;
    // A page read before all that lists bob, the old cy and no dee.
    const page = mergePage(state, paging, [user('ada', 'a1'), user('bob', 'b1'), user('cy', 'c1')]);
    expect(page.diff).toEqual(changes({}));
    const end = endPaging(page.state, page.paging);
    expect(end.diff).toEqual(changes({}));
    expect(list(end.state)).toEqual([user('ada', 'a1'), user('cy', 'c1', 'c2'), user('dee', 'd1')]);
  });

  it('ends a paging that listed no one with only the users the changes named', () => {
    const state = syncState(EMPTY_PRESENCE, [user('ada', 'a1'), user('bob', 'b1')]).state;
    const named = nameInPaging(NEW_PAGING, changes({ updated: [user('bob', 'b1', 'b2')] }));
    expect(nameInPaging(named, changes({}))).toBe(named);
    expect(ids(list(endPaging(state, named).state))).toEqual(['bob']);
    expect(ids(endPaging(state, named).diff.left)).toEqual(['ada']);
  });
});

function changes(parts: Partial<PresenceDiff>): PresenceDiff {
  return { joined: [], left: [], updated: [], ...parts };
}
