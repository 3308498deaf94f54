import type { RealtimeServers } from '../service/realtime-servers.js';
import { PRESENCE_DIFF_EVENT } from '../protocol/index.js';
import type { PresenceDiff, PresenceMode } from './presence.interfaces.js';
import { presenceSubscribersRoom } from './presence-subscribers.js';

/**
 * Sends a room's presence events to the room in one namespace, on every instance through that
 * namespace's adapter. Never to another namespace: its room of the same name is another room,
 * with its own `canJoin`. In `counts` mode only subscribers (`presenceEvents`) get lists.
 */
export class PresenceAnnouncer {
  constructor(private readonly servers: RealtimeServers) {}

  /** A window's diff: whole to a `full` room; in `counts` mode, whole to subscribers and the count alone to the others. */
  diff(namespace: string, diff: PresenceDiff): void {
    const { room } = diff;
    for (const nsp of this.servers.namespaces(namespace)) {
      if (diff.mode === 'full') {
        nsp.to(room).emit(PRESENCE_DIFF_EVENT, diff);
        continue;
      }
      const subscribers = presenceSubscribersRoom(room);
      nsp.to(room).except(subscribers).emit(PRESENCE_DIFF_EVENT, { ...diff, joined: [], left: [], updated: [] });
      nsp.to(subscribers).emit(PRESENCE_DIFF_EVENT, diff);
    }
  }

  /**
   * One change as it happens (`diffWindowMs: 0`): to the room in `full` mode, to its subscribers
   * in `counts` mode; never to `except`, the connection that caused it.
   */
  change(namespace: string, room: string, mode: PresenceMode, event: string, payload: unknown, except?: string): void {
    const to = mode === 'full' ? room : presenceSubscribersRoom(room);
    for (const nsp of this.servers.namespaces(namespace)) {
      (except ? nsp.to(to).except(except) : nsp.to(to)).emit(event, payload);
    }
  }
}
