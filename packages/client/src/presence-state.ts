import type { PresenceUser } from './protocol.js';

/** A room's presence: one entry per user, in the order they joined. */
export type PresenceState = ReadonlyMap<string, PresenceUser>;

/** What one step changed, per user (never per tab): who arrived, who left, whose devices or metadata changed. */
export interface PresenceDiff {
  joined: PresenceUser[];
  left: PresenceUser[];
  updated: PresenceUser[];
}

/** A step's outcome: the new state (the old one is never modified) and what changed. */
export interface PresenceStep {
  state: PresenceState;
  diff: PresenceDiff;
}

export const EMPTY_PRESENCE: PresenceState = new Map();

/**
 * The state a full list describes (`presence:state`, a join's answer, a rejoin after a
 * reconnect), diffed against the current one: a user present in both is not joined again. When
 * nothing changed, the state given is returned as it is.
 */
export function syncState(state: PresenceState, users: readonly PresenceUser[]): PresenceStep {
  const next = new Map(users.map((user) => [user.userId, user]));
  const diff = emptyDiff();
  for (const user of next.values()) {
    const before = state.get(user.userId);
    if (!before) diff.joined.push(user);
    else if (!sameMetas(before, user)) diff.updated.push(user);
  }
  for (const user of state.values()) if (!next.has(user.userId)) diff.left.push(user);
  const unchanged = diff.joined.length + diff.left.length + diff.updated.length === 0;
  return { state: unchanged ? state : next, diff };
}

/** `presence:join`: a user's first connection arrived (a user already known is an update). */
export function applyJoin(state: PresenceState, user: PresenceUser): PresenceStep {
  return applyUpdate(state, user);
}

/** `presence:update`: a user's connections or their metadata changed; an unknown user joins. */
export function applyUpdate(state: PresenceState, user: PresenceUser): PresenceStep {
  const before = state.get(user.userId);
  const diff = emptyDiff();
  if (before && sameMetas(before, user)) return { state, diff };
  (before ? diff.updated : diff.joined).push(user);
  const next = new Map(state);
  next.set(user.userId, user);
  return { state: next, diff };
}

/** `presence:leave`: a user's last connection left; a user not known changes nothing. */
export function applyLeave(state: PresenceState, userId: string): PresenceStep {
  const before = state.get(userId);
  const diff = emptyDiff();
  if (!before) return { state, diff };
  diff.left.push(before);
  const next = new Map(state);
  next.delete(userId);
  return { state: next, diff };
}

function emptyDiff(): PresenceDiff {
  return { joined: [], left: [], updated: [] };
}

function sameMetas(a: PresenceUser, b: PresenceUser): boolean {
  return a.metas.length === b.metas.length && JSON.stringify(a.metas) === JSON.stringify(b.metas);
}
