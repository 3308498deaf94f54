import type { PresenceCount, PresenceUser } from './protocol.js';

export const NO_PRESENCE: PresenceCount = { users: 0, connections: 0 };

/** The count of a whole list: what a server older than counts implies by sending the whole room. */
export function countOf(users: readonly PresenceUser[]): PresenceCount {
  return { users: users.length, connections: users.reduce((sum, user) => sum + user.metas.length, 0) };
}

/**
 * The count after a per-event change (`presence:join` / `presence:update` / `presence:leave`,
 * sent when the server's `diffWindowMs` is 0), which carries none. The server sends a join for a
 * user's first connection and a leave for their last; `known` is the user's entry before the event,
 * when this client knows it (it does not know everyone in `counts` mode, or during a paging): an
 * unknown user who leaves is taken to have had one connection, one who is updated to keep their number.
 */
export function countAfterEvent(
  count: PresenceCount,
  kind: 'join' | 'update' | 'leave',
  known: PresenceUser | undefined,
  user: PresenceUser,
): PresenceCount {
  // A user is present while they have a connection.
  const before = known?.metas.length ?? { join: 0, leave: 1, update: user.metas.length }[kind];
  const after = kind === 'leave' ? 0 : user.metas.length;
  return {
    users: Math.max(0, count.users + Math.sign(after) - Math.sign(before)),
    connections: Math.max(0, count.connections + after - before),
  };
}
