import { systemPresenceClock, type PresenceClock } from '../presence/presence-clock.js';

/** What the heartbeat needs of a client: the `ws` package's `WebSocket`. */
export interface PingedClient {
  readonly readyState: number;
  ping(): void;
  terminate(): void;
}

/** The module's `pingInterval` and `pingTimeout`, the same settings as Socket.IO's. */
export interface HeartbeatTimes {
  pingInterval: number;
  pingTimeout: number;
}

/**
 * Pings every native client each `pingInterval` (WebSocket ping frames, which browsers and `ws`
 * answer by themselves) and terminates one whose pong has not come `pingTimeout` after the ping.
 * Without it a peer that vanished without a TCP close (a closed laptop lid, a dead NAT entry)
 * would keep its presence, its connection slot and its deliveries for good.
 *
 * One timer for all clients, and state only for clients whose pong is due: a timer or a record
 * per connection would cost memory on each of them between pings.
 */
export class WsHeartbeat<Client extends PingedClient> {
  // Pinged and not answered yet, with the round that pinged them: empty but for the moments a
  // pong is under way, or when a peer is gone.
  private readonly awaiting = new Map<Client, number>();
  private readonly deadlines = new Set<() => void>();
  private cancelRound?: () => void;
  private round = 0;

  constructor(
    private readonly clients: () => Iterable<Client>,
    private readonly times: HeartbeatTimes,
    private readonly clock: Pick<PresenceClock, 'schedule'> = systemPresenceClock,
  ) {}

  /** Pings every `pingInterval` from now on, until `stop()`. */
  start(): void {
    if (!this.cancelRound) this.scheduleRound();
  }

  /** The client's pong (or its close): nothing is due from it. */
  settle(client: Client): void {
    this.awaiting.delete(client);
  }

  /** No ping nor termination after this (the app is shutting down). */
  stop(): void {
    this.cancelRound?.();
    this.cancelRound = undefined;
    for (const cancel of this.deadlines) cancel();
    this.deadlines.clear();
    this.awaiting.clear();
  }

  private scheduleRound(): void {
    this.cancelRound = this.clock.schedule(() => {
      this.scheduleRound();
      this.pingAll();
    }, this.times.pingInterval);
  }

  private pingAll(): void {
    const round = ++this.round;
    let pinged = false;
    for (const client of this.clients()) {
      // One still owing an earlier pong keeps that ping's deadline.
      if (client.readyState !== OPEN || this.awaiting.has(client)) continue;
      this.awaiting.set(client, round);
      client.ping();
      pinged = true;
    }
    if (!pinged) return;
    const cancel = this.clock.schedule(() => {
      this.deadlines.delete(cancel);
      this.expire(round);
    }, this.times.pingTimeout);
    this.deadlines.add(cancel);
  }

  /** Terminates the clients pinged in `round` (or before) that never answered: their close runs the usual disconnect. */
  private expire(round: number): void {
    for (const [client, pingedIn] of this.awaiting) {
      if (pingedIn > round) continue;
      this.awaiting.delete(client);
      client.terminate();
    }
  }
}

/** `WebSocket.OPEN` */
const OPEN = 1;
