import { DEFAULT_BIG_ROOM_USERS, defaultBigRoomExitUsers } from '../options/resolve-presence-options.js';
import type { PresenceCount, PresenceMode, PresenceModeOverride } from './presence.interfaces.js';

/**
 * The two thresholds of `auto` mode: a room turns big when a join takes it above `bigRoomUsers`
 * users, and turns small again only when a leave takes it to `bigRoomExitUsers` or fewer. Between
 * them the room keeps the state it had, so one that hovers at a threshold does not switch at each
 * crossing (each switch to `full` has every member read the whole room again).
 */
export interface BigRoomBand {
  bigRoomUsers: number;
  bigRoomExitUsers: number;
}

/** The band of the default options (200 and 150): what a store built without one keeps rooms by. */
export const DEFAULT_BIG_ROOM_BAND: BigRoomBand = {
  bigRoomUsers: DEFAULT_BIG_ROOM_USERS,
  bigRoomExitUsers: defaultBigRoomExitUsers(DEFAULT_BIG_ROOM_USERS),
};

/** The band the presence options set (both thresholds are resolved options). */
export function bigRoomBandOf({ bigRoomUsers, bigRoomExitUsers }: BigRoomBand): BigRoomBand {
  return { bigRoomUsers, bigRoomExitUsers };
}

/**
 * Whether a room of `users` users is big, given whether it was (its state in the store). Above
 * `bigRoomUsers` it is, at or below `bigRoomExitUsers` it is not, whatever it was: so a state
 * missing (a room stored before states were kept, or by a store that keeps none) is read as
 * "not big" and gives the rule of the count alone, and a state left stale by such a store cannot
 * hold a small room in `counts` mode. Stores apply it after each change of a room's users, and
 * `presenceModeOf` reads the state with it.
 */
export function isBigRoom(users: number, wasBig: boolean, band: BigRoomBand): boolean {
  return users > band.bigRoomUsers || (wasBig && users > band.bigRoomExitUsers);
}

/**
 * The mode of a room: its override, or `counts` while it is big. A pure function of what the
 * store read (the count, and the room's state kept with it), so every instance decides the same.
 */
export function presenceModeOf(count: PresenceCount & { big?: boolean }, band: BigRoomBand, override: PresenceModeOverride = 'auto'): PresenceMode {
  if (override !== 'auto') return override;
  return isBigRoom(count.users, count.big === true, band) ? 'counts' : 'full';
}
