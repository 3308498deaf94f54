import { Inject, Injectable, Optional, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { AuthFailure } from '../auth/auth-failure.js';
import { userOf } from '../connection/identity.js';
import { connectionOf } from '../connection/connection-registry.js';
import { RealtimeException } from '../errors/realtime.exception.js';
import { RealtimeTelemetry } from '../observability/realtime-telemetry.js';
import { RealtimeServers } from '../service/realtime-servers.js';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import type { PresenceCount, PresenceMetaInput, PresenceScope, PresenceUser } from './presence.interfaces.js';
import { PresenceStore, type ReapedLeave } from './presence.store.js';
import { checkPresenceMeta } from './check-presence-meta.js';
import { PresenceMetrics } from './presence-metrics.js';
import { parsePresenceRoomKey, presenceRoomKey } from './presence-room-key.js';
import { namespaceName, PRESENCE_JOIN_EVENT, PRESENCE_LEAVE_EVENT, PRESENCE_STATE_EVENT, PRESENCE_UPDATE_EVENT, TOO_MANY_ROOMS } from '../protocol/index.js';

/**
 * Who is in which room, per connection and grouped per user, correct across tabs, devices and
 * instances. Joining puts the socket in the Socket.IO room too; its presence ends when it leaves,
 * disconnects, or its instance dies (Redis store).
 *
 * A presence room belongs to the namespace it was joined in (`socket.nsp.name`): its entries,
 * counts and events are that namespace's alone, so a user one namespace's `canJoin` refuses can
 * neither see nor reach its room by joining the same room name through another namespace.
 * `list()`, `count()` and `roomsOf()` read the main namespace `/` unless given `{ namespace }`;
 * `isOnline()` is app-wide.
 *
 * Events to the room: `presence:state` (to the joiner), `presence:join` (a user's first
 * connection), `presence:leave` (their last one), `presence:update` (the user's entry changed:
 * another of their connections joined or left, or metadata changed), each to the room in the
 * joiner's namespace only, on every instance.
 */
@Injectable()
export class PresenceService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly store: PresenceStore;
  /** Only while metrics are recorded: otherwise a join or leave pays one null check for them. */
  private readonly metrics?: PresenceMetrics;

  constructor(
    store: PresenceStore,
    @Inject(RealtimeServers) private readonly servers: RealtimeServers,
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
    // Null unless observability is on and an OpenTelemetry SDK is registered.
    @Optional() @Inject(RealtimeTelemetry) private readonly telemetry?: RealtimeTelemetry | null,
  ) {
    if (telemetry?.metered) this.metrics = new PresenceMetrics(telemetry, store);
    this.store = this.metrics ? this.metrics.timed(store) : store;
  }

  onModuleInit(): void {
    this.store.start((leaves) => this.announceLeaves(leaves));
  }

  // Before the servers close: others see this instance's users leave at once, not after ttlMs.
  async beforeApplicationShutdown(): Promise<void> {
    this.announceLeaves(await this.store.stop());
  }

  /**
   * Adds the socket's connection to the room of the socket's namespace; resolves with that room's
   * users, the joiner included.
   */
  async join(socket: Socket, room: string, meta: PresenceMetaInput = {}): Promise<PresenceUser[]> {
    const userId = this.userIdOf(socket);
    checkPresenceMeta(meta);
    this.checkRoomCount(socket, room);
    const namespace = socket.nsp.name;
    const key = presenceRoomKey(namespace, room);
    await socket.join(room);
    this.track(socket, room);
    const first = await this.store.join({
      room: key,
      userId,
      meta: { ...meta, connectionId: socket.id, joinedAt: Date.now() },
    });
    this.telemetry?.presenceJoined(namespace, room);
    try {
      const users = await this.store.list(key);
      socket.emit(PRESENCE_STATE_EVENT, { room, users });
      // Another device of a user already there changes their entry: the others see it at once.
      const user = users.find((u) => u.userId === userId);
      this.announce(namespace, room, first ? PRESENCE_JOIN_EVENT : PRESENCE_UPDATE_EVENT, { room, user }, socket.id);
      return users;
    } catch (error) {
      // A join that could not be announced must not linger in the room.
      await this.leave(socket, room).catch(() => undefined);
      throw error;
    }
  }

  private checkRoomCount(socket: Socket, room: string): void {
    const rooms = connectionOf(socket)?.presence?.rooms;
    const max = this.options.limits.maxRoomsPerSocket;
    if (rooms && !rooms.has(room) && rooms.size >= max) {
      throw new RealtimeException('FORBIDDEN', `A connection may be in at most ${max} rooms`, { reason: TOO_MANY_ROOMS, max });
    }
  }

  /** Removes the socket's connection from the room (of the socket's namespace). */
  async leave(socket: Socket, room: string): Promise<void> {
    const rooms = connectionOf(socket)?.presence?.rooms;
    if (rooms?.delete(room)) {
      this.telemetry?.presenceLeft(socket.nsp.name, room);
      this.metrics?.left(socket.nsp.name, room, this.userIdOf(socket), rooms.size === 0);
    }
    await socket.leave(room);
    await this.forget(socket.nsp.name, room, this.userIdOf(socket), socket.id);
  }

  /** Replaces the metadata of the socket's connection in the room (of the socket's namespace). */
  async update(socket: Socket, room: string, meta: PresenceMetaInput): Promise<void> {
    const userId = this.userIdOf(socket);
    checkPresenceMeta(meta);
    const namespace = socket.nsp.name;
    const key = presenceRoomKey(namespace, room);
    if (!(await this.store.update(key, userId, socket.id, meta))) {
      throw new RealtimeException('NOT_FOUND', 'Not in this room', { room });
    }
    this.announce(namespace, room, PRESENCE_UPDATE_EVENT, { room, user: await this.store.userIn(key, userId) });
  }

  /** The room's users in one namespace (the main one, `/`, unless `scope` names another), oldest first. */
  list(room: string, scope: PresenceScope = {}): Promise<PresenceUser[]> {
    return this.store.list(this.keyOf(room, scope));
  }

  /** How many users and connections the room has in one namespace (`/` unless `scope` names another). */
  count(room: string, scope: PresenceScope = {}): Promise<PresenceCount> {
    return this.store.count(this.keyOf(room, scope));
  }

  /** The names of the rooms the user is present in, in one namespace (`/` unless `scope` names another). */
  async roomsOf(userId: string | number, scope: PresenceScope = {}): Promise<string[]> {
    const namespace = this.namespaceOf(scope);
    const rooms: string[] = [];
    for (const key of await this.store.roomsOf(String(userId))) {
      const scoped = parsePresenceRoomKey(key);
      if (scoped?.namespace === namespace) rooms.push(scoped.room);
    }
    return rooms;
  }

  /** Whether the user has a connection in any presence room, in any namespace. */
  isOnline(userId: string | number): Promise<boolean> {
    return this.store.isOnline(String(userId));
  }

  private keyOf(room: string, scope: PresenceScope): string {
    return presenceRoomKey(this.namespaceOf(scope), room);
  }

  private namespaceOf({ namespace = '/' }: PresenceScope): string {
    return namespaceName(namespace);
  }

  /** Records the room on the socket's connection, whose teardown leaves them all. */
  private track(socket: Socket, room: string): void {
    const connection = connectionOf(socket);
    if (!connection) return;
    const userId = this.userIdOf(socket);
    const namespace = socket.nsp.name;
    if (!connection.presence) {
      const joined = new Set<string>();
      connection.presence = {
        rooms: joined,
        leaveAll: (rooms) => {
          for (const room of rooms) {
            // Each room is left once, even if asked again (the teardown, then a late leave()).
            if (!joined.delete(room)) continue;
            this.telemetry?.presenceLeft(namespace, room);
            this.metrics?.left(namespace, room, userId, joined.size === 0);
            this.forget(namespace, room, userId, socket.id).catch(() => undefined /* Redis gone: reaped later */);
          }
        },
      };
    }
    const rooms = connection.presence.rooms;
    if (!rooms.has(room)) {
      rooms.add(room);
      this.metrics?.entered(namespace, room, userId, rooms.size === 1);
    }
    // Disconnected while joining: its teardown has run already.
    if (connection.isClosed) connection.presence.leaveAll(new Set([room]));
  }

  private async forget(namespace: string, room: string, userId: string, connectionId: string): Promise<void> {
    const key = presenceRoomKey(namespace, room);
    if (await this.store.leave(key, userId, connectionId)) return this.announceLeave(namespace, room, userId);
    // One of several devices left: the user stays, with one connection less.
    const user = await this.store.userIn(key, userId);
    if (user) this.announce(namespace, room, PRESENCE_UPDATE_EVENT, { room, user });
  }

  /** Leaves the store reports by room key (an instance that died or closed): each in its own namespace. */
  private announceLeaves(leaves: ReapedLeave[]): void {
    for (const { room: key, userId } of leaves) {
      const scoped = parsePresenceRoomKey(key);
      if (scoped) this.announceLeave(scoped.namespace, scoped.room, userId);
    }
  }

  private announceLeave(namespace: string, room: string, userId: string): void {
    this.announce(namespace, room, PRESENCE_LEAVE_EVENT, { room, user: { userId, metas: [] } });
  }

  /**
   * To the room in the one namespace, on every instance through that namespace's adapter (but
   * `except`, the socket that caused it). Never to another namespace: its room of the same name is
   * another room, with its own `canJoin`.
   */
  private announce(namespace: string, room: string, event: string, payload: unknown, except?: string): void {
    for (const nsp of this.servers.namespaces(namespace)) {
      (except ? nsp.to(room).except(except) : nsp.to(room)).emit(event, payload);
    }
  }

  private userIdOf(socket: Socket): string {
    const user = userOf(socket);
    if (!user) throw new AuthFailure('missing_token', 'Presence needs an authenticated user');
    return String(user.id);
  }
}
