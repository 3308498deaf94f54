import type { ResolvedOptions } from '../config/option-group.js';
import type { presenceOptionGroup } from './resolve-presence-options.js';

/** Where presence lives. */
export type PresenceStoreKind = 'memory' | 'redis';

/** `presence` options of the module. */
export interface RealtimePresenceOptions {
  /**
   * `memory` keeps presence in this process (one instance); `redis` shares it between instances.
   * @default 'redis' when `redis` is configured, else 'memory'
   */
  store?: PresenceStoreKind;
  /**
   * Redis store: how long an instance may miss heartbeats before the others remove its
   * connections and announce their `presence:leave`, in milliseconds. Instances heartbeat every
   * third of it.
   * @default 15000
   */
  ttlMs?: number;
  /**
   * Users per page: the `joinRoom` ack and `presence:state` carry the first page (in `full` mode),
   * `roomPresence { room, cursor }` one page each. Bounds what a join costs and sends, whatever
   * the room's size. An integer from 1 to 1000.
   * @default 32
   */
  pageSize?: number;
  /**
   * How long, in milliseconds, a room's presence changes are collected before they go out as one
   * `presence:diff` (per user, only the net change of the window). A burst of N joins then costs
   * one broadcast instead of N. `0` sends `presence:join` / `presence:leave` / `presence:update`
   * at each change, as before diffs existed. From 0 to 10000.
   * @default 50
   */
  diffWindowMs?: number;
  /**
   * The diff window of a room in `counts` mode, in milliseconds: each window's `presence:diff`
   * goes to every member (the count), so a big room's members hear of it at most once per this
   * however fast people join, and the cost of a join stops growing with the room. Subscribers
   * (`presenceEvents`) get the window's lists as late. Unused with `diffWindowMs: 0`.
   * @default 1000
   */
  countsWindowMs?: number;
  /**
   * A room with more users than this is big (`counts` mode): its join ack and `presence:state`
   * carry no users, and its diffs carry only the count, except to the members that asked for
   * `presenceEvents`. At or below it, `full` mode. `RoomsGateway.presenceMode()` can fix a room's
   * mode instead. A positive integer.
   * @default 200
   */
  bigRoomUsers?: number;
  /**
   * A big room turns `full` again only when a leave takes it to this many users or fewer: between
   * this and `bigRoomUsers` a room keeps the mode it had, so one hovering at `bigRoomUsers` does not
   * switch at every crossing (each switch to `full` has every member read the whole room again).
   * The state is kept with the room in the presence store, so every instance sees the same. An
   * integer from 0 (big until empty) to `bigRoomUsers` (no band: the count alone decides).
   * @default three quarters of `bigRoomUsers`, rounded down (150 for 200)
   */
  bigRoomExitUsers?: number;
}

/** The `presence` options after validation, every default applied. */
export interface ResolvedPresenceOptions extends ResolvedOptions<typeof presenceOptionGroup.specs> {}
