import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { AuthFailure } from '../auth/auth-failure.js';
import { userOf } from '../auth/socket-auth-state.js';
import { RealtimeException } from '../errors/realtime.exception.js';
import { RealtimeServers } from '../service/realtime-servers.js';
import { REALTIME_OPTIONS } from '../realtime.constants.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import type { PresenceCount, PresenceMetaInput, PresenceUser } from './presence.interfaces.js';
import { PRESENCE_JOIN_EVENT, PRESENCE_LEAVE_EVENT, PRESENCE_STATE_EVENT, PRESENCE_UPDATE_EVENT } from './presence.events.js';
import { PresenceStore, type ReapedLeave } from './presence.store.js';
import { checkPresenceMeta } from './check-presence-meta.js';

/**
 * Who is in which room, per connection and grouped per user, correct across tabs, devices and
 * instances. Joining puts the socket in the Socket.IO room too; its presence ends when it leaves,
 * disconnects, or its instance dies (Redis store). Presence rooms are app-wide: their events reach
 * the room's sockets in every namespace.
 *
 * Events to the room: `presence:state` (to the joiner), `presence:join` (a user's first
 * connection), `presence:leave` (their last one), `presence:update` (metadata changed).
 */
@Injectable()
export class PresenceService implements OnModuleInit, BeforeApplicationShutdown {
  // The rooms each socket joined here, to leave them all when it disconnects.
  private readonly roomsOfSocket = new WeakMap<Socket, Set<string>>();

  constructor(
    private readonly store: PresenceStore,
    @Inject(RealtimeServers) private readonly servers: RealtimeServers,
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
  ) {}

  onModuleInit(): void {
    this.store.start((leaves) => this.announceLeaves(leaves));
  }

  // Before the servers close: others see this instance's users leave at once, not after ttlMs.
  async beforeApplicationShutdown(): Promise<void> {
    this.announceLeaves(await this.store.stop());
  }

  /** Adds the socket's connection to the room; resolves with the room's users, the joiner included. */
  async join(socket: Socket, room: string, meta: PresenceMetaInput = {}): Promise<PresenceUser[]> {
    const userId = this.userIdOf(socket);
    checkPresenceMeta(meta);
    this.checkRoomCount(socket, room);
    await socket.join(room);
    this.track(socket, room);
    const first = await this.store.join({
      room,
      userId,
      meta: { ...meta, connectionId: socket.id, joinedAt: Date.now() },
    });
    try {
      const users = await this.store.list(room);
      socket.emit(PRESENCE_STATE_EVENT, { room, users });
      if (first) this.announce(room, PRESENCE_JOIN_EVENT, { room, user: users.find((u) => u.userId === userId) }, socket.id);
      return users;
    } catch (error) {
      // A join that could not be announced must not linger in the room.
      await this.leave(socket, room).catch(() => undefined);
      throw error;
    }
  }

  private checkRoomCount(socket: Socket, room: string): void {
    const rooms = this.roomsOfSocket.get(socket);
    const max = this.options.limits.maxRoomsPerSocket;
    if (rooms && !rooms.has(room) && rooms.size >= max) {
      throw new RealtimeException('FORBIDDEN', `A connection may be in at most ${max} rooms`, { reason: 'too_many_rooms', max });
    }
  }

  /** Removes the socket's connection from the room. */
  async leave(socket: Socket, room: string): Promise<void> {
    this.roomsOfSocket.get(socket)?.delete(room);
    await socket.leave(room);
    await this.forget(room, this.userIdOf(socket), socket.id);
  }

  /** Replaces the metadata of the socket's connection in the room. */
  async update(socket: Socket, room: string, meta: PresenceMetaInput): Promise<void> {
    const userId = this.userIdOf(socket);
    checkPresenceMeta(meta);
    if (!(await this.store.update(room, userId, socket.id, meta))) {
      throw new RealtimeException('NOT_FOUND', 'Not in this room', { room });
    }
    this.announce(room, PRESENCE_UPDATE_EVENT, { room, user: await this.store.userIn(room, userId) });
  }

  list(room: string): Promise<PresenceUser[]> {
    return this.store.list(room);
  }

  count(room: string): Promise<PresenceCount> {
    return this.store.count(room);
  }

  roomsOf(userId: string | number): Promise<string[]> {
    return this.store.roomsOf(String(userId));
  }

  isOnline(userId: string | number): Promise<boolean> {
    return this.store.isOnline(String(userId));
  }

  private track(socket: Socket, room: string): void {
    let rooms = this.roomsOfSocket.get(socket);
    if (!rooms) {
      rooms = new Set();
      this.roomsOfSocket.set(socket, rooms);
      const userId = this.userIdOf(socket);
      socket.once('disconnect', () => {
        for (const joined of rooms!) {
          this.forget(joined, userId, socket.id).catch(() => undefined /* Redis gone: reaped later */);
        }
      });
    }
    rooms.add(room);
  }

  private async forget(room: string, userId: string, connectionId: string): Promise<void> {
    if (await this.store.leave(room, userId, connectionId)) this.announceLeaves([{ room, userId }]);
  }

  private announceLeaves(leaves: ReapedLeave[]): void {
    for (const { room, userId } of leaves) this.announce(room, PRESENCE_LEAVE_EVENT, { room, user: { userId, metas: [] } });
  }

  /** To the room in every namespace, on every instance (but `except`, the socket that caused it). */
  private announce(room: string, event: string, payload: unknown, except?: string): void {
    for (const namespace of this.servers.namespaces()) {
      (except ? namespace.to(room).except(except) : namespace.to(room)).emit(event, payload);
    }
  }

  private userIdOf(socket: Socket): string {
    const user = userOf(socket);
    if (!user) throw new AuthFailure('missing_token', 'Presence needs an authenticated user');
    return String(user.id);
  }
}
