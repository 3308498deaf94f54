import { KeyedSerialQueue } from './keyed-serial-queue.js';
import type { PresenceClock } from './presence-clock.js';
import type { PresenceUser } from './presence.interfaces.js';

/**
 * One change of a user's presence in a room, as `PresenceService` saw it happen: whether the user
 * was in the room before it, and what they are after it: their entry when known, `'read'` when
 * the store must say (another connection of theirs is still there, or their metadata changed),
 * `null` when they are gone.
 */
export interface PresenceChange {
  userId: string;
  before: boolean;
  after: PresenceUser | 'read' | null;
}

/** What a user's presence in a room nets to, from before to after (`after` read from the store). */
export function netPresenceChange(before: boolean, after: PresenceUser | undefined): 'joined' | 'left' | 'updated' | undefined {
  if (after) return before ? 'updated' : 'joined';
  return before ? 'left' : undefined;
}

/** Sends one room's netted changes; never rejects (it reports its own failures). */
export type FlushPresenceChanges = (namespace: string, room: string, changes: PresenceChange[]) => Promise<void>;

interface PendingRoom {
  namespace: string;
  room: string;
  /** Per user, in the order of each user's first change of the window. */
  changes: Map<string, PresenceChange>;
  cancel: () => void;
}

/**
 * Collects the presence changes of each room for a window from the first one (its length given
 * by that change), then hands them to `flush` netted per user: their presence before the window (from their first change) against
 * after it (their last change). A burst of N joins into a room costs one broadcast, not N.
 */
export class PresenceDiffBatcher {
  private readonly pending = new Map<string, PendingRoom>();
  private readonly flushes = new KeyedSerialQueue();
  private stopped = false;

  constructor(
    private readonly clock: PresenceClock,
    private readonly flush: FlushPresenceChanges,
  ) {}

  /**
   * Adds a change to the window of the room `key` (one per namespace and room), opening one of
   * `windowMs` if none is open.
   */
  record(key: string, namespace: string, room: string, change: PresenceChange, windowMs: number): void {
    let pending = this.pending.get(key);
    if (!pending) {
      const cancel = this.stopped ? () => undefined : this.clock.schedule(() => void this.flushRoom(key), windowMs);
      pending = { namespace, room, changes: new Map(), cancel };
      this.pending.set(key, pending);
    }
    const earlier = pending.changes.get(change.userId);
    pending.changes.set(change.userId, earlier ? { ...change, before: earlier.before } : change);
    if (this.stopped) void this.flushRoom(key);
  }

  /**
   * Flushes every open window now, and each later change at once (a shutdown: the leaves of
   * closing connections must not wait for a timer that may never fire).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.pending.keys()].map((key) => this.flushRoom(key)));
  }

  private flushRoom(key: string): Promise<void> {
    const pending = this.pending.get(key);
    if (!pending) return Promise.resolve();
    this.pending.delete(key);
    pending.cancel();
    // In window order per room: a window never overtakes the one before it, still reading the store.
    return this.flushes.run(key, () => this.flush(pending.namespace, pending.room, [...pending.changes.values()]));
  }
}
