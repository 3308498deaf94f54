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
  const merged = mergePage(state, NEW_PAGING, users);
  const end = endPaging(merged.state, merged.paging);
  return { state: end.state, diff: { ...merged.diff, left: end.diff.left } };
}

/** `presence:join`: a user's first connection arrived (a user already known is an update). */
export function applyJoin(state: PresenceState, user: PresenceUser): PresenceStep {
  return applyUpdate(state, user);
}

/** `presence:update`: a user's connections or their metadata changed; an unknown user joins. */
export function applyUpdate(state: PresenceState, user: PresenceUser): PresenceStep {
  return applyDiff(state, { joined: [], left: [], updated: [user] });
}

/** `presence:leave`: a user's last connection left; a user not known changes nothing. */
export function applyLeave(state: PresenceState, userId: string): PresenceStep {
  return applyDiff(state, { joined: [], left: [{ userId, metas: [] }], updated: [] });
}

/**
 * `presence:diff`: the net changes of one window, one entry per user. Applied as the per-event
 * steps are: a leave of a user not known changes nothing, a join of a user known or an update of
 * one not known is whatever it is from this client's view.
 */
export function applyDiff(state: PresenceState, changes: PresenceDiff): PresenceStep {
  const diff: PresenceDiff = { joined: [], left: [], updated: [] };
  let next: Map<string, PresenceUser> | undefined;
  const edit = () => (next ??= new Map(state));
  for (const { userId } of changes.left) {
    const before = state.get(userId);
    if (!before) continue;
    diff.left.push(before);
    edit().delete(userId);
  }
  for (const user of [...changes.joined, ...changes.updated]) {
    const before = (next ?? state).get(user.userId);
    if (before && sameMetas(before, user)) continue;
    (before ? diff.updated : diff.joined).push(user);
    edit().set(user.userId, user);
  }
  return { state: next ?? state, diff };
}

/**
 * A list fetched page by page (the join's answer, then `roomPresence` until `next` is `null`)
 * while changes keep coming: who the pages listed, and who a change named since the paging began.
 * A page may have been read before a change this client already applied, so a page never
 * overrides a user a change named: a leave seen during the paging is not undone by a page, a
 * newer entry not replaced by an older one. A user named by mistake (a page newer than the change)
 * is set right by the change that follows, as every later change is sent too.
 */
export interface PresencePaging {
  readonly listed: ReadonlySet<string>;
  readonly named: ReadonlySet<string>;
}

/** A paging's outcome: the step, and the paging with what it learned. */
export interface PagingStep extends PresenceStep {
  paging: PresencePaging;
}

/** A paging that has seen nothing yet. */
export const NEW_PAGING: PresencePaging = { listed: new Set(), named: new Set() };

/** Records the users a change (a diff, a per-event event) named: pages of this paging leave them be. */
export function nameInPaging(paging: PresencePaging, changes: PresenceDiff): PresencePaging {
  const users = [...changes.joined, ...changes.left, ...changes.updated];
  if (users.length === 0) return paging;
  return { listed: paging.listed, named: new Set([...paging.named, ...users.map((user) => user.userId)]) };
}

/**
 * A page: its users are added, or replace the entry known (a user may be on two pages, having left
 * and come back meanwhile: the later entry wins), except those a change named during the paging.
 */
export function mergePage(state: PresenceState, paging: PresencePaging, users: readonly PresenceUser[]): PagingStep {
  const listed = new Set([...paging.listed, ...users.map((user) => user.userId)]);
  const fresh = users.filter((user) => !paging.named.has(user.userId));
  return { ...applyDiff(state, { joined: [], left: [], updated: fresh }), paging: { listed, named: paging.named } };
}

/** The last page came: whoever no page listed and no change named is no longer there. */
export function endPaging(state: PresenceState, paging: PresencePaging): PresenceStep {
  const gone = [...state.values()].filter((user) => !paging.listed.has(user.userId) && !paging.named.has(user.userId));
  return applyDiff(state, { joined: [], left: gone, updated: [] });
}

function sameMetas(a: PresenceUser, b: PresenceUser): boolean {
  return a.metas.length === b.metas.length && JSON.stringify(a.metas) === JSON.stringify(b.metas);
}
