import { Store, type ReadableStore } from './connection-status.js';
import { Listeners } from './listeners.js';
import { countAfterEvent, countOf, NO_PRESENCE } from './presence-count.js';
import {
  applyDiff,
  EMPTY_PRESENCE,
  endPaging,
  mergePage,
  nameInPaging,
  NEW_PAGING,
  type PresenceDiff,
  type PresencePaging,
  type PresenceStep,
} from './presence-state.js';
import {
  JOIN_ROOM,
  LEAVE_ROOM,
  ROOM_MESSAGE,
  ROOM_PRESENCE,
  type PresenceCount,
  type PresenceDiffEvent,
  type PresenceMode,
  type PresencePage,
  type PresenceUser,
} from './protocol.js';
import type { RealtimeError } from './realtime-error.js';

/** A message of the room, as `RoomsGateway` relays it. */
export interface RoomMessage<M = unknown> {
  room: string;
  from: { userId: string; connectionId: string };
  message: M;
  at: string;
}

/** Options of `client.room(name, meta?, options?)`. */
export interface RoomOptions {
  /**
   * Keep getting who joins, leaves and changes when the room is big (`counts` mode), where the
   * server otherwise sends its members the count only: `users` then holds the users those changes
   * named since the room went big (or was joined big). In `full` mode every member gets them anyway.
   * @default false
   */
  presenceEvents?: boolean;
}

/** What a room needs of its client: requests, being told it is gone, and errors that answer no request of the app. */
export interface RoomTransport {
  call(event: string, payload: unknown): Promise<unknown>;
  forget(room: RealtimeRoom<any>): void;
  report(error: RealtimeError): void;
}

/** A server older than pages answers with the whole room, and nothing more. */
type PresenceAnswer = Pick<PresencePage, 'users'> & Partial<PresencePage>;

/**
 * A room of a `RoomsGateway`, joined with `client.room(name, meta?, options?)`. It is joined
 * again, with the same metadata, after every reconnect (Socket.IO forgets rooms), and keeps the
 * room's presence: one entry per user with one meta per connection, and the room's count.
 * `onJoin` / `onLeave` / `onUpdate` fire once per user, not per tab, when `users` gains, loses or
 * changes one; a reconnect does not join anyone again.
 *
 * The server sends a room's users a page at a time: in `full` mode the room fetches the pages
 * after the first (`roomPresence`) while changes keep coming, and a page never undoes a change
 * seen meanwhile. In `counts` mode (a big room) only the count is kept, and the users the changes
 * name with `presenceEvents`.
 */
export class RealtimeRoom<M = unknown> {
  private readonly usersStore = new Store<PresenceUser[]>([]);
  private readonly countStore = new Store<PresenceCount>(NO_PRESENCE);
  private readonly modeStore = new Store<PresenceMode>('full');
  private state = EMPTY_PRESENCE;
  /** The list being fetched page by page, while one is. */
  private paging?: PresencePaging;
  /** Bumped by every paging begun or abandoned: the pages of an older one are dropped. */
  private pagingRun = 0;
  /** Between the join's request and its answer: the answer says the mode, changes meanwhile do not switch it. */
  private awaitingJoin = false;
  private readonly joins = new Listeners<PresenceUser>();
  private readonly leaves = new Listeners<PresenceUser>();
  private readonly updates = new Listeners<PresenceUser>();
  private readonly messages = new Listeners<RoomMessage<M>>();
  private readonly refusals = new Listeners<RealtimeError>();
  private left = false;
  /**
   * Settles with the first join: the users known once joined (in `full` mode the first page, the
   * rest following in `users`; none in `counts` mode), or the refusal (`FORBIDDEN`, `too_many_rooms`, …).
   */
  readonly joined: Promise<PresenceUser[]>;
  private settleFirstJoin?: { resolve: (users: PresenceUser[]) => void; reject: (error: RealtimeError) => void };

  constructor(
    readonly name: string,
    private readonly meta: Record<string, unknown> | undefined,
    private readonly transport: RoomTransport,
    private readonly options: RoomOptions = {},
  ) {
    this.joined = new Promise((resolve, reject) => (this.settleFirstJoin = { resolve, reject }));
    // A refusal nobody awaits must not become an unhandled rejection: it is reported through onRefused too.
    this.joined.catch(() => undefined);
  }

  /** The users in the room (in `counts` mode, those named by its changes with `presenceEvents`), for a UI to subscribe to. */
  get users(): ReadableStore<PresenceUser[]> {
    return this.usersStore;
  }

  /** How many users and connections the room has, in either mode. */
  get count(): ReadableStore<PresenceCount> {
    return this.countStore;
  }

  /** How the server shares the room's presence: `full`, or `counts` for a big room. */
  get mode(): ReadableStore<PresenceMode> {
    return this.modeStore;
  }

  onJoin(listener: (user: PresenceUser) => void): () => void {
    return this.joins.add(listener);
  }

  onLeave(listener: (user: PresenceUser) => void): () => void {
    return this.leaves.add(listener);
  }

  onUpdate(listener: (user: PresenceUser) => void): () => void {
    return this.updates.add(listener);
  }

  onMessage(listener: (message: RoomMessage<M>) => void): () => void {
    return this.messages.add(listener);
  }

  /** The server refused to (re)join the room: it is no longer joined. */
  onRefused(listener: (error: RealtimeError) => void): () => void {
    return this.refusals.add(listener);
  }

  /** Sends a message to the room (`msgToRoom`); resolves with the server's answer. */
  send(message: M): Promise<{ status: 'ok'; at: string }> {
    return this.transport.call(ROOM_MESSAGE, { room: this.name, message }) as Promise<{ status: 'ok'; at: string }>;
  }

  /** Leaves the room; it is not joined again after a reconnect. */
  async leave(): Promise<void> {
    if (this.left) return;
    this.forsake([]);
    await this.transport.call(LEAVE_ROOM, { room: this.name });
  }

  /** (Re)joins the room: at first, and after every reconnect; the list it had is kept until the answer, and set right by it. */
  async join(): Promise<void> {
    if (this.left) return;
    const run = this.startPaging();
    this.awaitingJoin = true;
    let answer: PresenceAnswer;
    try {
      answer = (await this.transport.call(JOIN_ROOM, {
        room: this.name,
        ...(this.meta ? { meta: this.meta } : {}),
        ...(this.options.presenceEvents ? { presenceEvents: true } : {}),
      })) as PresenceAnswer;
    } catch (error) {
      if (run !== this.pagingRun) return;
      this.awaitingJoin = false;
      const refusal = error as RealtimeError;
      // Lost with the connection: the next connect joins again, and settles `joined` then.
      if (refusal.code === 'DISCONNECTED' || refusal.code === 'TIMEOUT') return;
      // No longer in the room: everyone in it leaves, as far as this client can tell.
      this.forsake([...this.state.values()]);
      this.settleFirstJoin?.reject(refusal);
      this.settleFirstJoin = undefined;
      this.refusals.emit(refusal);
      return;
    }
    // Left meanwhile, or joined again (a reconnect): that join settles `joined`.
    if (this.left || run !== this.pagingRun) return;
    this.awaitingJoin = false;
    this.receivePage(answer, run);
    this.settleFirstJoin?.resolve(this.usersStore.getSnapshot());
    this.settleFirstJoin = undefined;
  }

  /** @internal `presence:diff`: one window's changes, the count, and the mode they happened in. */
  receiveDiff(diff: PresenceDiffEvent): void {
    if (this.left) return;
    this.setCount(diff.count);
    const named = this.change(diff);
    if (this.awaitingJoin || diff.mode === this.modeStore.getSnapshot()) return;
    if (diff.mode === 'counts') this.enterCounts(named);
    else this.enterFull();
  }

  /** @internal `presence:join` / `presence:update` / `presence:leave` (a server with `diffWindowMs: 0`, or older than diffs). */
  receive(kind: 'join' | 'update' | 'leave', user: PresenceUser): void {
    if (this.left) return;
    this.setCount(countAfterEvent(this.countStore.getSnapshot(), kind, this.state.get(user.userId), user));
    this.change({ joined: kind === 'join' ? [user] : [], left: kind === 'leave' ? [user] : [], updated: kind === 'update' ? [user] : [] });
  }

  /** @internal A `msgToRoom` relayed to this room. */
  deliver(message: RoomMessage<M>): void {
    this.messages.emit(message);
  }

  /** Applies a change, and records whom it named for the paging; returns who was named since the paging began (or by this change). */
  private change(changes: PresenceDiff): ReadonlySet<string> {
    const paging = nameInPaging(this.paging ?? NEW_PAGING, changes);
    if (this.paging) this.paging = paging;
    this.apply(applyDiff(this.state, changes));
    return paging.named;
  }

  /** The join's answer, or a page of the paging `run`: merged, then the next page asked for, or the paging ended. */
  private receivePage(page: PresenceAnswer, run: number): void {
    if (page.count) this.setCount(page.count);
    if (page.mode === 'counts') return this.enterCounts(this.paging?.named ?? new Set());
    this.modeStore.set('full');
    const step = mergePage(this.state, this.paging ?? NEW_PAGING, page.users);
    this.paging = step.paging;
    this.apply(step);
    if (typeof page.next === 'string') void this.fetchPage(page.next, run);
    else {
      this.apply(endPaging(this.state, step.paging));
      this.paging = undefined;
    }
    // A server older than pages sent the whole room.
    if (!page.count) this.setCount(countOf(this.usersStore.getSnapshot()));
  }

  private async fetchPage(cursor: string | undefined, run: number): Promise<void> {
    let page: PresencePage;
    try {
      page = (await this.transport.call(ROOM_PRESENCE, { room: this.name, ...(cursor === undefined ? {} : { cursor }) })) as PresencePage;
    } catch (error) {
      if (this.left || run !== this.pagingRun) return;
      // The list stays as far as it got; the next join, or switch to `full`, pages again.
      this.stopPaging();
      const failure = error as RealtimeError;
      // A lost connection is not news: the rejoin on reconnect starts over.
      if (failure.code !== 'DISCONNECTED') this.transport.report(failure);
      return;
    }
    if (this.left || run !== this.pagingRun) return;
    this.receivePage(page, run);
  }

  /**
   * The room is big: its list is no longer sent. Users are dropped (with `onLeave`: `users` and the
   * listeners stay in step), but, with `presenceEvents`, those the changes named since the join or
   * the last switch, which the following changes keep up to date.
   */
  private enterCounts(named: ReadonlySet<string>): void {
    this.modeStore.set('counts');
    this.stopPaging();
    const keep = this.options.presenceEvents ? named : new Set<string>();
    this.apply(endPaging(this.state, { listed: new Set(), named: keep }));
  }

  /** The room is no longer big: its list is fetched again, from the first page. */
  private enterFull(): void {
    this.modeStore.set('full');
    void this.fetchPage(undefined, this.startPaging());
  }

  /** Out of the room for good: not joined again, its users and count emptied (announcing `left` as leaves). */
  private forsake(left: PresenceUser[]): void {
    this.left = true;
    this.transport.forget(this);
    this.stopPaging();
    this.setCount(NO_PRESENCE);
    this.apply({ state: EMPTY_PRESENCE, diff: { joined: [], left, updated: [] } });
  }

  private startPaging(): number {
    this.paging = NEW_PAGING;
    return ++this.pagingRun;
  }

  private stopPaging(): void {
    this.paging = undefined;
    this.pagingRun += 1;
  }

  private setCount(count: PresenceCount): void {
    const { users, connections } = count;
    const now = this.countStore.getSnapshot();
    if (now.users !== users || now.connections !== connections) this.countStore.set({ users, connections });
  }

  private apply({ state, diff }: PresenceStep): void {
    if (state === this.state) return;
    this.state = state;
    this.usersStore.set([...state.values()]);
    announce(diff, this.joins, this.leaves, this.updates);
  }
}

function announce(diff: PresenceDiff, joins: Listeners<PresenceUser>, leaves: Listeners<PresenceUser>, updates: Listeners<PresenceUser>): void {
  diff.left.forEach((user) => leaves.emit(user));
  diff.joined.forEach((user) => joins.emit(user));
  diff.updated.forEach((user) => updates.emit(user));
}
