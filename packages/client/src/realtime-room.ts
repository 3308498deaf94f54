import { Store, type ReadableStore } from './connection-status.js';
import { Listeners } from './listeners.js';
import { applyJoin, applyLeave, applyUpdate, EMPTY_PRESENCE, syncState, type PresenceDiff, type PresenceStep } from './presence-state.js';
import { JOIN_ROOM, LEAVE_ROOM, ROOM_MESSAGE, type PresenceUser } from './protocol.js';
import type { RealtimeError } from './realtime-error.js';

/** A message of the room, as `RoomsGateway` relays it. */
export interface RoomMessage<M = unknown> {
  room: string;
  from: { userId: string; connectionId: string };
  message: M;
  at: string;
}

/** What a room needs of its client: requests, and being told it is gone. */
export interface RoomTransport {
  call(event: string, payload: unknown): Promise<unknown>;
  forget(room: RealtimeRoom<any>): void;
}

/**
 * A room of a `RoomsGateway`, joined with `client.room(name, meta?)`. It is joined again, with
 * the same metadata, after every reconnect (Socket.IO forgets rooms), and keeps the room's
 * presence: one entry per user with one meta per connection. `onJoin` / `onLeave` / `onUpdate`
 * fire once per user, not per tab, and a reconnect does not join anyone again.
 */
export class RealtimeRoom<M = unknown> {
  private readonly store = new Store<PresenceUser[]>([]);
  private state = EMPTY_PRESENCE;
  private readonly joins = new Listeners<PresenceUser>();
  private readonly leaves = new Listeners<PresenceUser>();
  private readonly updates = new Listeners<PresenceUser>();
  private readonly messages = new Listeners<RoomMessage<M>>();
  private readonly refusals = new Listeners<RealtimeError>();
  private left = false;
  /** Settles with the first join: the users in the room, or the refusal (`FORBIDDEN`, `too_many_rooms`, …). */
  readonly joined: Promise<PresenceUser[]>;
  private settleFirstJoin?: { resolve: (users: PresenceUser[]) => void; reject: (error: RealtimeError) => void };

  constructor(
    readonly name: string,
    private readonly meta: Record<string, unknown> | undefined,
    private readonly transport: RoomTransport,
  ) {
    this.joined = new Promise((resolve, reject) => (this.settleFirstJoin = { resolve, reject }));
    // A refusal nobody awaits must not become an unhandled rejection: it is reported through onRefused too.
    this.joined.catch(() => undefined);
  }

  /** The users in the room, for a UI to subscribe to. */
  get users(): ReadableStore<PresenceUser[]> {
    return this.store;
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
    this.left = true;
    this.transport.forget(this);
    this.apply({ state: EMPTY_PRESENCE, diff: { joined: [], left: [], updated: [] } });
    await this.transport.call(LEAVE_ROOM, { room: this.name });
  }

  /** (Re)joins the room: at first, and after every reconnect. */
  async join(): Promise<void> {
    if (this.left) return;
    let reply: { users: PresenceUser[] };
    try {
      reply = (await this.transport.call(JOIN_ROOM, { room: this.name, ...(this.meta ? { meta: this.meta } : {}) })) as { users: PresenceUser[] };
    } catch (error) {
      const refusal = error as RealtimeError;
      // Lost with the connection: the next connect joins again, and settles `joined` then.
      if (refusal.code === 'DISCONNECTED' || refusal.code === 'TIMEOUT') return;
      this.left = true;
      this.transport.forget(this);
      // No longer in the room: everyone in it leaves, as far as this client can tell.
      this.apply({ state: EMPTY_PRESENCE, diff: { joined: [], left: [...this.state.values()], updated: [] } });
      this.settleFirstJoin?.reject(refusal);
      this.settleFirstJoin = undefined;
      this.refusals.emit(refusal);
      return;
    }
    if (this.left) return;
    this.sync(reply.users);
    this.settleFirstJoin?.resolve(reply.users);
    this.settleFirstJoin = undefined;
  }

  /** @internal A full list: the join's answer or `presence:state`. */
  sync(users: PresenceUser[]): void {
    this.apply(syncState(this.state, users));
  }

  /** @internal `presence:join` / `presence:update` / `presence:leave`. */
  receive(kind: 'join' | 'update' | 'leave', user: PresenceUser): void {
    if (kind === 'leave') this.apply(applyLeave(this.state, user.userId));
    else this.apply((kind === 'join' ? applyJoin : applyUpdate)(this.state, user));
  }

  /** @internal A `msgToRoom` relayed to this room. */
  deliver(message: RoomMessage<M>): void {
    this.messages.emit(message);
  }

  private apply({ state, diff }: PresenceStep): void {
    if (state === this.state) return;
    this.state = state;
    this.store.set([...state.values()]);
    announce(diff, this.joins, this.leaves, this.updates);
  }
}

function announce(diff: PresenceDiff, joins: Listeners<PresenceUser>, leaves: Listeners<PresenceUser>, updates: Listeners<PresenceUser>): void {
  diff.left.forEach((user) => leaves.emit(user));
  diff.joined.forEach((user) => joins.emit(user));
  diff.updated.forEach((user) => updates.emit(user));
}
