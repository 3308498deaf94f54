import type { PresenceMode, PresenceModeOverride } from './presence.interfaces.js';

/**
 * The mode of a room with `users` users: its override, or `counts` above `bigRoomUsers`. A pure
 * function of the count and the room's override, so every instance decides the same without
 * sharing state; no hysteresis (a room hovering at the threshold switches at each crossing).
 */
export function presenceModeOf(users: number, bigRoomUsers: number, override: PresenceModeOverride = 'auto'): PresenceMode {
  if (override !== 'auto') return override;
  return users > bigRoomUsers ? 'counts' : 'full';
}
