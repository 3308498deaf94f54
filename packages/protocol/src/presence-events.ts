/** Presence events a room receives (contract). */
export const PRESENCE_STATE_EVENT = 'presence:state';
export const PRESENCE_JOIN_EVENT = 'presence:join';
export const PRESENCE_LEAVE_EVENT = 'presence:leave';
export const PRESENCE_UPDATE_EVENT = 'presence:update';
/** A room's presence changes over one `presence.diffWindowMs`, netted per user. */
export const PRESENCE_DIFF_EVENT = 'presence:diff';
