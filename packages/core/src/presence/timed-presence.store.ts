import type { PresenceMetaInput, PresenceUser } from './presence.interfaces.js';
import { PresenceStore, type PresenceEntry, type PresenceStoreCount, type PresenceStorePage, type ReapedLeave } from './presence.store.js';

/** A store call, as `realtime.operation` names it. */
export type PresenceStoreOperation = 'join' | 'leave' | 'update' | 'list' | 'page' | 'count' | 'user_in' | 'rooms_of' | 'is_online' | 'stop';

/**
 * A store that times each call to the store it wraps, Redis round trips included, and tells
 * `record` how long it took (in seconds), whether it succeeded or failed. `PresenceService` uses
 * one only while metrics are recorded. Each call reaches the wrapped store in the caller's
 * synchronous step, as it would without the wrapper: the Redis store queues its write there.
 */
export class TimedPresenceStore extends PresenceStore {
  constructor(
    private readonly store: PresenceStore,
    private readonly record: (operation: PresenceStoreOperation, seconds: number) => void,
  ) {
    super();
  }

  join(entry: PresenceEntry): Promise<boolean> {
    return this.timed('join', () => this.store.join(entry));
  }

  leave(room: string, userId: string, connectionId: string): Promise<boolean> {
    return this.timed('leave', () => this.store.leave(room, userId, connectionId));
  }

  update(room: string, userId: string, connectionId: string, meta: PresenceMetaInput): Promise<boolean> {
    return this.timed('update', () => this.store.update(room, userId, connectionId, meta));
  }

  list(room: string): Promise<PresenceUser[]> {
    return this.timed('list', () => this.store.list(room));
  }

  override page(room: string, cursor: string | undefined, limit: number): Promise<PresenceStorePage> {
    return this.timed('page', () => this.store.page(room, cursor, limit));
  }

  count(room: string): Promise<PresenceStoreCount> {
    return this.timed('count', () => this.store.count(room));
  }

  override userIn(room: string, userId: string): Promise<PresenceUser | undefined> {
    return this.timed('user_in', () => this.store.userIn(room, userId));
  }

  roomsOf(userId: string): Promise<string[]> {
    return this.timed('rooms_of', () => this.store.roomsOf(userId));
  }

  isOnline(userId: string): Promise<boolean> {
    return this.timed('is_online', () => this.store.isOnline(userId));
  }

  override start(onReaped: (leaves: ReapedLeave[]) => void): void {
    this.store.start(onReaped);
  }

  override lastHeartbeatAt(): number | null {
    return this.store.lastHeartbeatAt();
  }

  override stop(): Promise<ReapedLeave[]> {
    return this.timed('stop', () => this.store.stop());
  }

  private async timed<T>(operation: PresenceStoreOperation, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      this.record(operation, (performance.now() - started) / 1000);
    }
  }
}
