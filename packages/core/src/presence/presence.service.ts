import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { AuthFailure } from '../auth/auth-failure.js';
import { userOf } from '../connection/identity.js';
import { connectionOf } from '../connection/connection-registry.js';
import { RealtimeException } from '../errors/realtime.exception.js';
import { RealtimeTelemetry } from '../observability/realtime-telemetry.js';
import { RealtimeServers } from '../service/realtime-servers.js';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import type {
  PresenceCount,
  PresenceDiff,
  PresenceJoinOptions,
  PresenceMetaInput,
  PresenceMode,
  PresenceModeOverride,
  PresencePage,
  PresencePageOptions,
  PresenceScope,
  PresenceUser,
} from './presence.interfaces.js';
import { InvalidPresenceCursorError, PresenceStore, type PresenceStoreCount, type PresenceStorePage, type ReapedLeave } from './presence.store.js';
import { checkPresenceMeta } from './check-presence-meta.js';
import { logSafe } from '../logging/log-safe.js';
import { PresenceMetrics } from './presence-metrics.js';
import { parsePresenceRoomKey, presenceRoomKey } from './presence-room-key.js';
import { PRESENCE_CLOCK, systemPresenceClock, type PresenceClock } from './presence-clock.js';
import { netPresenceChange, PresenceDiffBatcher, type PresenceChange } from './presence-diff-batcher.js';
import { bigRoomBandOf, presenceModeOf, type BigRoomBand } from './presence-mode.js';
import { PresenceAnnouncer } from './presence-announcer.js';
import { presenceSubscribersRoom } from './presence-subscribers.js';
import { namespaceName, PRESENCE_JOIN_EVENT, PRESENCE_LEAVE_EVENT, PRESENCE_STATE_EVENT, PRESENCE_UPDATE_EVENT, TOO_MANY_ROOMS } from '../protocol/index.js';

/** The `next` of a join in `counts` mode: the first page, which `roomPresence` reads on demand. */
const FIRST_PAGE_CURSOR = '';

/**
 * Who is in which room, per connection and grouped per user, correct across tabs, devices and
 * instances. Joining puts the socket in the Socket.IO room too; its presence ends when it leaves,
 * disconnects, or its instance dies (Redis store).
 *
 * A presence room belongs to the namespace it was joined in (`socket.nsp.name`): its entries,
 * counts and events are that namespace's alone, so a user one namespace's `canJoin` refuses can
 * neither see nor reach its room by joining the same room name through another namespace.
 * `list()`, `page()`, `count()` and `roomsOf()` read the main namespace `/` unless given
 * `{ namespace }`; `isOnline()` is app-wide.
 *
 * A join costs the same whatever the room's size: the joiner gets one page (`presence:state`,
 * and the join's result), and the room hears of it in the next `presence:diff`, which carries
 * every change of the room over `presence.diffWindowMs`, netted per user, and the room's count.
 * With `diffWindowMs: 0`, each change goes out alone: `presence:join` (a user's first
 * connection), `presence:leave` (their last one), `presence:update` (another of their connections
 * joined or left, or metadata changed). A big room is in `counts` mode: lists only to members that
 * subscribed (`events`), the count to the others. A room turns big when a join takes it above
 * `presence.bigRoomUsers` users and small again when a leave takes it to `bigRoomExitUsers` or
 * fewer; the store keeps that state with the room, so every instance reads the same mode.
 * Events go to the room in the joiner's namespace only, on every instance.
 */
@Injectable()
export class PresenceService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('RealtimePresence');
  private readonly store: PresenceStore;
  /** Only while metrics are recorded: otherwise a join or leave pays one null check for them. */
  private readonly metrics?: PresenceMetrics;
  private readonly announcer: PresenceAnnouncer;
  /** The open diff windows; none with `diffWindowMs: 0` (each change goes out as it happens). */
  private readonly batcher?: PresenceDiffBatcher;
  /**
   * The mode joins fixed for a room (by key), when not `auto`; forgotten once the room is empty.
   * Changes of a room this instance saw no join of (a dead instance's leaves) follow `auto`.
   */
  private readonly fixedModes = new Map<string, PresenceMode>();
  /** The rooms (by key) last seen in `counts` mode: their windows are `countsWindowMs` long. */
  private readonly roomsInCountsMode = new Set<string>();
  /** The same band the store keeps rooms' state by (both from `presence`): read with that state, it gives the mode. */
  private readonly band: BigRoomBand;

  constructor(
    store: PresenceStore,
    @Inject(RealtimeServers) servers: RealtimeServers,
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
    // Null unless observability is on and an OpenTelemetry SDK is registered.
    @Optional() @Inject(RealtimeTelemetry) private readonly telemetry?: RealtimeTelemetry | null,
    @Optional() @Inject(PRESENCE_CLOCK) clock: PresenceClock = systemPresenceClock,
  ) {
    if (telemetry?.metered) this.metrics = new PresenceMetrics(telemetry, store);
    this.store = this.metrics ? this.metrics.timed(store) : store;
    this.announcer = new PresenceAnnouncer(servers);
    this.band = bigRoomBandOf(options.presence);
    if (options.presence.diffWindowMs > 0) {
      this.batcher = new PresenceDiffBatcher(clock, (namespace, room, changes) => this.sendDiff(namespace, room, changes));
    }
  }

  onModuleInit(): void {
    this.store.start((leaves) => void this.announceLeaves(leaves));
  }

  // Before the servers close: others see this instance's users leave at once, not after ttlMs,
  // and the diffs still collecting go out now rather than never.
  async beforeApplicationShutdown(): Promise<void> {
    await this.announceLeaves(await this.store.stop());
    await this.batcher?.stop();
  }

  /**
   * Adds the socket's connection to the room of the socket's namespace; resolves with the room's
   * first page (the users in `full` mode, the count alone in `counts` mode), which the socket also
   * gets as `presence:state`. `options.mode` fixes the room's mode (the same for every join of it);
   * `options.events` subscribes the connection to the room's lists in `counts` mode.
   */
  async join(socket: Socket, room: string, meta: PresenceMetaInput = {}, options: PresenceJoinOptions = {}): Promise<PresencePage> {
    const userId = this.userIdOf(socket);
    checkPresenceMeta(meta);
    this.checkRoomCount(socket, room);
    const namespace = socket.nsp.name;
    const key = presenceRoomKey(namespace, room);
    await socket.join(room);
    // Joining again changes the subscription too: the latest join says.
    const subscribers = presenceSubscribersRoom(room);
    if (options.events) await socket.join(subscribers);
    else if (socket.rooms.has(subscribers)) await socket.leave(subscribers);
    this.track(socket, room);
    this.fixMode(key, options.mode ?? 'auto');
    const connectionMeta = { ...meta, connectionId: socket.id, joinedAt: Date.now() };
    const first = await this.store.join({ room: key, userId, meta: connectionMeta });
    this.telemetry?.presenceJoined(namespace, room);
    try {
      const page = await this.firstPage(key, room);
      socket.emit(PRESENCE_STATE_EVENT, page);
      // A user's first connection is all their entry; another device of a user already there changes it.
      const change: PresenceChange = { userId, before: !first, after: first ? { userId, metas: [connectionMeta] } : 'read' };
      await this.changed(namespace, room, change, { except: socket.id, mode: page.mode });
      return page;
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
    const connection = connectionOf(socket);
    const rooms = connection?.presence?.rooms;
    // A socket the registry does not know (a server-side call on a bare socket) is taken at its word.
    const wasIn = connection ? (rooms?.delete(room) ?? false) : true;
    if (rooms && wasIn) {
      this.telemetry?.presenceLeft(socket.nsp.name, room);
      this.metrics?.left(socket.nsp.name, room, this.userIdOf(socket), rooms.size === 0);
    }
    await socket.leave(room);
    const subscribers = presenceSubscribersRoom(room);
    if (socket.rooms.has(subscribers)) await socket.leave(subscribers);
    // The store is asked even so (it may hold what this connection lost track of); the room hears only of a real leave.
    await this.forget(socket.nsp.name, room, this.userIdOf(socket), socket.id, wasIn);
  }

  /** Replaces the metadata of the socket's connection in the room (of the socket's namespace). */
  async update(socket: Socket, room: string, meta: PresenceMetaInput): Promise<void> {
    const userId = this.userIdOf(socket);
    checkPresenceMeta(meta);
    const namespace = socket.nsp.name;
    if (!(await this.store.update(presenceRoomKey(namespace, room), userId, socket.id, meta))) {
      throw new RealtimeException('NOT_FOUND', 'Not in this room', { room });
    }
    await this.changed(namespace, room, { userId, before: true, after: 'read' });
  }

  /**
   * All the room's users in one namespace (the main one, `/`, unless `scope` names another),
   * oldest first. Reads the whole room: for server-side use; clients get `page()`s.
   */
  list(room: string, scope: PresenceScope = {}): Promise<PresenceUser[]> {
    return this.store.list(this.keyOf(room, scope));
  }

  /**
   * One page of the room's users (`presence.pageSize` of them from `options.cursor`, a page's
   * `next`; the first page without it), with the room's count and mode, in one namespace (`/`
   * unless `options.namespace` names another). A user present for the whole paging comes once.
   * @throws RealtimeException `BAD_REQUEST` (`field: 'cursor'`) for a cursor the store did not hand out
   */
  async page(room: string, { cursor, ...scope }: PresencePageOptions = {}): Promise<PresencePage> {
    const key = this.keyOf(room, scope);
    // An empty cursor is the first page's (a counts-mode join's `next`).
    const [{ users, next }, count] = await Promise.all([this.storePage(key, cursor || undefined), this.store.count(key)]);
    return { room, users, count: countOf(count), mode: this.modeOf(key, count), next };
  }

  /** How many users and connections the room has in one namespace (`/` unless `scope` names another). */
  async count(room: string, scope: PresenceScope = {}): Promise<PresenceCount> {
    return countOf(await this.store.count(this.keyOf(room, scope)));
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

  private async forget(namespace: string, room: string, userId: string, connectionId: string, announce = true): Promise<void> {
    const last = await this.store.leave(presenceRoomKey(namespace, room), userId, connectionId);
    // One of several devices left: the user stays, with one connection less.
    if (announce) await this.changed(namespace, room, { userId, before: true, after: last ? null : 'read' });
  }

  /** Leaves the store reports by room key (an instance that died or closed): each in its own namespace. */
  private async announceLeaves(leaves: ReapedLeave[]): Promise<void> {
    const announced: Promise<void>[] = [];
    for (const { room: key, userId } of leaves) {
      const scoped = parsePresenceRoomKey(key);
      if (scoped) announced.push(this.changed(scoped.namespace, scoped.room, { userId, before: true, after: null }).catch((error) => this.warn(error)));
    }
    await Promise.all(announced);
  }

  /** The first page of a room just joined: its users in `full` mode, none (and a cursor to read them) in `counts` mode. */
  private async firstPage(key: string, room: string): Promise<PresencePage> {
    const stored = await this.store.count(key);
    const mode = this.modeOf(key, stored);
    const count = countOf(stored);
    if (mode === 'counts') return { room, users: [], count, mode, next: count.users > 0 ? FIRST_PAGE_CURSOR : null };
    const { users, next } = await this.storePage(key, undefined);
    return { room, users, count, mode, next };
  }

  private async storePage(key: string, cursor: string | undefined): Promise<PresenceStorePage> {
    try {
      return await this.store.page(key, cursor, this.options.presence.pageSize);
    } catch (error) {
      // A client may send any string as a cursor: what the store cannot read is the client's error, not ours.
      if (error instanceof InvalidPresenceCursorError || (error as Error | undefined)?.name === 'InvalidPresenceCursorError') {
        throw new RealtimeException('BAD_REQUEST', 'Invalid presence cursor', { field: 'cursor' });
      }
      throw error;
    }
  }

  private fixMode(key: string, mode: PresenceModeOverride): void {
    if (mode === 'auto') this.fixedModes.delete(key);
    else this.fixedModes.set(key, mode);
  }

  /**
   * The room's mode by what the store read (its count and big state); an emptied room's fixed mode
   * is forgotten (its next join fixes it again).
   */
  private modeOf(key: string, count: PresenceStoreCount): PresenceMode {
    const mode = presenceModeOf(count, this.band, this.fixedModes.get(key));
    if (count.users === 0) this.fixedModes.delete(key);
    if (mode === 'counts' && count.users > 0) this.roomsInCountsMode.add(key);
    else this.roomsInCountsMode.delete(key);
    return mode;
  }

  /**
   * A user's presence in the room changed: into the room's diff window, or, without windows, to
   * the room at once as `presence:join` / `leave` / `update` (never to `except`, the connection
   * that caused it; `mode` when the caller knows it already).
   */
  private async changed(namespace: string, room: string, change: PresenceChange, known: { except?: string; mode?: PresenceMode } = {}): Promise<void> {
    const key = presenceRoomKey(namespace, room);
    if (this.batcher) return this.batcher.record(key, namespace, room, change, this.windowOf(key, known.mode));
    const user = await this.userAfter(key, change);
    const net = netPresenceChange(change.before, user);
    if (!net) return;
    const mode = known.mode ?? this.modeOf(key, await this.store.count(key));
    const event = net === 'joined' ? PRESENCE_JOIN_EVENT : net === 'left' ? PRESENCE_LEAVE_EVENT : PRESENCE_UPDATE_EVENT;
    this.announcer.change(namespace, room, mode, event, { room, user: user ?? { userId: change.userId, metas: [] } }, known.except);
  }

  /**
   * How long the room's next window collects: `countsWindowMs` in `counts` mode, where every
   * window's diff reaches every member (its count), so a big room costs a broadcast per window, not
   * per join; `diffWindowMs` otherwise.
   */
  private windowOf(key: string, mode = this.roomsInCountsMode.has(key) ? 'counts' : 'full'): number {
    const { diffWindowMs, countsWindowMs } = this.options.presence;
    return mode === 'counts' ? countsWindowMs : diffWindowMs;
  }

  /** A closed window of the room: its changes netted per user, with the count and mode of now, in one broadcast. */
  private async sendDiff(namespace: string, room: string, changes: PresenceChange[]): Promise<void> {
    const key = presenceRoomKey(namespace, room);
    try {
      const [count, users] = await Promise.all([
        this.store.count(key),
        Promise.all(changes.map((change) => this.userAfter(key, change))),
      ]);
      const diff: PresenceDiff = { room, joined: [], left: [], updated: [], count: countOf(count), mode: this.modeOf(key, count) };
      changes.forEach(({ userId, before }, i) => {
        const user = users[i];
        const net = netPresenceChange(before, user);
        if (net === 'left') diff.left.push({ userId, metas: [] });
        else if (net) diff[net].push(user!);
      });
      // Users who came and went inside the window: nothing to say.
      if (diff.joined.length + diff.left.length + diff.updated.length > 0) this.announcer.diff(namespace, diff);
    } catch (error) {
      this.warn(error);
    }
  }

  /** The user's entry after the change: as the change knew it, or read from the store. */
  private async userAfter(key: string, { userId, after }: PresenceChange): Promise<PresenceUser | undefined> {
    return after === 'read' ? this.store.userIn(key, userId) : (after ?? undefined);
  }

  private warn(error: unknown): void {
    // A store error can echo its keys, which hold room names and user ids from clients.
    this.logger.warn(`Presence changes could not be announced: ${logSafe(error instanceof Error ? error.message : error, 200)}`);
  }

  private userIdOf(socket: Socket): string {
    const user = userOf(socket);
    if (!user) throw new AuthFailure('missing_token', 'Presence needs an authenticated user');
    return String(user.id);
  }
}

/** The count clients and callers see: the store's, without the state kept beside it. */
function countOf({ users, connections }: PresenceStoreCount): PresenceCount {
  return { users, connections };
}
