import type { PresenceCount, PresenceMetaInput, PresenceUser } from './presence.interfaces.js';
import { groupByUser, PresenceStore, type PresenceEntry } from './presence.store.js';

/** Presence in this process: correct across devices (tabs) of one instance. */
export class MemoryPresenceStore extends PresenceStore {
  // room key (namespace and room) → connectionId → entry
  private readonly rooms = new Map<string, Map<string, PresenceEntry>>();

  async join(entry: PresenceEntry): Promise<boolean> {
    const room = this.rooms.get(entry.room) ?? new Map<string, PresenceEntry>();
    this.rooms.set(entry.room, room);
    const first = ![...room.values()].some((e) => e.userId === entry.userId);
    room.set(entry.meta.connectionId, entry);
    return first;
  }

  async leave(roomName: string, userId: string, connectionId: string): Promise<boolean> {
    const room = this.rooms.get(roomName);
    if (!room?.delete(connectionId)) return false;
    if (room.size === 0) this.rooms.delete(roomName);
    return ![...room.values()].some((e) => e.userId === userId);
  }

  async update(roomName: string, _userId: string, connectionId: string, meta: PresenceMetaInput): Promise<boolean> {
    const entry = this.rooms.get(roomName)?.get(connectionId);
    if (!entry) return false;
    entry.meta = { ...meta, connectionId, joinedAt: entry.meta.joinedAt };
    return true;
  }

  async list(room: string): Promise<PresenceUser[]> {
    return groupByUser([...(this.rooms.get(room)?.values() ?? [])]);
  }

  async count(room: string): Promise<PresenceCount> {
    const entries = [...(this.rooms.get(room)?.values() ?? [])];
    return { users: new Set(entries.map((e) => e.userId)).size, connections: entries.length };
  }

  async roomsOf(userId: string): Promise<string[]> {
    return [...this.rooms.entries()].filter(([, room]) => [...room.values()].some((e) => e.userId === userId)).map(([name]) => name);
  }

  async isOnline(userId: string): Promise<boolean> {
    return (await this.roomsOf(userId)).length > 0;
  }

  /** Every entry, for a store that mirrors this one elsewhere. */
  entries(): PresenceEntry[] {
    return [...this.rooms.values()].flatMap((room) => [...room.values()]);
  }
}
