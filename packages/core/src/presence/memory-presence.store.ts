import type { PresenceMetaInput, PresenceUser } from './presence.interfaces.js';
import { readPresenceCursor } from './presence-cursor.js';
import { PresenceIndex } from './presence-index.js';
import type { BigRoomBand } from './presence-mode.js';
import { PresenceStore, type PresenceEntry, type PresenceStoreCount, type PresenceStorePage } from './presence.store.js';

/**
 * Presence in this process: correct across devices (tabs) of one instance. Joins, leaves, counts,
 * `userIn()`, `roomsOf()` and `isOnline()` never walk a room's members (see `PresenceIndex`); a
 * page skips the users before it without copying them. Its cursor is the sequence number of the
 * last user returned: each user gets the room's next one at their first join. Each room's big
 * state (see `PresenceStoreCount`) is kept with it, by `band`.
 */
export class MemoryPresenceStore extends PresenceStore {
  private readonly index: PresenceIndex;

  /** @param band `presence.bigRoomUsers` and `bigRoomExitUsers`; @default DEFAULT_BIG_ROOM_BAND (200 and 150) */
  constructor(band?: BigRoomBand) {
    super();
    this.index = new PresenceIndex(band);
  }

  async join(entry: PresenceEntry): Promise<boolean> {
    return this.index.join(entry);
  }

  async leave(room: string, _userId: string, connectionId: string): Promise<boolean> {
    return this.index.leave(room, connectionId);
  }

  async update(room: string, _userId: string, connectionId: string, meta: PresenceMetaInput): Promise<boolean> {
    return this.index.update(room, connectionId, meta) !== undefined;
  }

  async list(room: string): Promise<PresenceUser[]> {
    return this.index.list(room);
  }

  override async page(room: string, cursor: string | undefined, limit: number): Promise<PresenceStorePage> {
    return this.index.page(room, readPresenceCursor(cursor), limit);
  }

  async count(room: string): Promise<PresenceStoreCount> {
    return this.index.count(room);
  }

  override async userIn(room: string, userId: string): Promise<PresenceUser | undefined> {
    return this.index.userIn(room, userId);
  }

  async roomsOf(userId: string): Promise<string[]> {
    return this.index.roomsOf(userId);
  }

  async isOnline(userId: string): Promise<boolean> {
    return this.index.isOnline(userId);
  }

  /** Every entry, for a store that mirrors this one elsewhere. */
  entries(): PresenceEntry[] {
    return this.index.entries();
  }
}
