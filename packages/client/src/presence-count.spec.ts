import { describe, expect, it } from 'vitest';
import { countAfterEvent, countOf } from './presence-count.js';
import type { PresenceUser } from './protocol.js';

const user = (userId: string, connections: number): PresenceUser => ({
  userId,
  metas: Array.from({ length: connections }, (_, i) => ({ connectionId: `${userId}-${i}`, joinedAt: i })),
});

describe('presence count', () => {
  it('counts a whole list: users once, connections each', () => {
    expect(countOf([user('ada', 2), user('bob', 1)])).toEqual({ users: 2, connections: 3 });
    expect(countOf([])).toEqual({ users: 0, connections: 0 });
  });

  it('follows per-event changes of users it knows', () => {
    let count = { users: 1, connections: 1 };
    count = countAfterEvent(count, 'join', undefined, user('bob', 1));
    expect(count).toEqual({ users: 2, connections: 2 });
    count = countAfterEvent(count, 'update', user('bob', 1), user('bob', 3));
    expect(count).toEqual({ users: 2, connections: 4 });
    count = countAfterEvent(count, 'leave', user('bob', 3), { userId: 'bob', metas: [] });
    expect(count).toEqual({ users: 1, connections: 1 });
    // A join of a user known (a page listed them first) is an update.
    expect(countAfterEvent(count, 'join', user('ada', 1), user('ada', 2))).toEqual({ users: 1, connections: 2 });
  });

  it('follows per-event changes of users it does not know (counts mode, or pages still to come)', () => {
    const count = { users: 500, connections: 600 };
    // A leave is of a user's last connection; an update keeps their number of connections.
    expect(countAfterEvent(count, 'leave', undefined, { userId: 'zed', metas: [] })).toEqual({ users: 499, connections: 599 });
    expect(countAfterEvent(count, 'update', undefined, user('zed', 2))).toEqual(count);
    expect(countAfterEvent({ users: 0, connections: 0 }, 'leave', undefined, { userId: 'zed', metas: [] })).toEqual({ users: 0, connections: 0 });
  });
});
