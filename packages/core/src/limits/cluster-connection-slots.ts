import { randomUUID } from 'node:crypto';
import type { SharedHeartbeat } from '../presence/shared-heartbeat.js';
import { command, evalScript, isClientReady } from '../redis/redis-client.js';
import { RedisOutageLog } from '../redis/redis-outage-log.js';
import { TAKE_SLOT_SCRIPT } from './cluster-connection-slots.scripts.js';

/** A slot taken in Redis for a connection that is not open yet; `release` frees it (once). */
export interface ClusterSlot {
  release(): void;
  /** The connection opened: the slot stays until `release`. */
  claim(): void;
}

/** How long a slot waits for its connection to open (the client may hang up mid-handshake). */
const UNCLAIMED_SLOT_MS = 30_000;

/**
 * `limits.maxConnectionsPerUser` across every instance: a hash per user in Redis (slot → the
 * instance holding it), next to the presence heartbeats, whose liveness decides what counts. A
 * crashed instance's slots stop counting once its heartbeat is `ttlMs` old, and are dropped once a
 * survivor reaps it. Redis unreachable: the connection is let in (fail open: refusing every user
 * because Redis blinked would be an outage of its own; the caller's per-instance limit still
 * holds), logged once per outage, and its slot written to Redis by the re-sync once it is back.
 */
export class ClusterConnectionSlots {
  private readonly outage = RedisOutageLog.forContext('RealtimeLimits', {
    whileDown: 'connections per user are limited per instance until it is back.',
    back: 'connections per user are limited across instances again.',
  });
  /** This instance's slots in Redis, by user: what a re-sync writes back. */
  private readonly held = new Map<string, Set<string>>();
  /** Slots whose release Redis missed (it was down): freed at the next take or re-sync. */
  private unreleased: [key: string, slotId: string][] = [];

  constructor(
    private readonly heartbeat: SharedHeartbeat,
    private readonly max: number,
  ) {
    heartbeat.onResync(() => this.resync());
  }

  /**
   * Takes a slot of the user: `undefined` when the user holds `max` connections across the
   * instances already, else a slot to claim once the connection opens. Redis unreachable: the
   * slot is taken here only, and written to Redis by the next re-sync.
   */
  async take(userId: string): Promise<ClusterSlot | undefined> {
    const { client, instanceId, instancesKey } = this.heartbeat;
    const key = this.heartbeat.key('user-connections', userId);
    const slotId = randomUUID();
    try {
      // A disconnected client would queue the command until Redis is back: answer now instead.
      if (!isClientReady(client)) throw new Error('not connected');
      await this.flushReleases();
      const staleBefore = this.heartbeat.now() - this.heartbeat.ttlMs;
      const taken = Number(await evalScript(client, TAKE_SLOT_SCRIPT, [instancesKey, key], [slotId, instanceId, String(this.max), String(staleBefore)]));
      this.outage.answered();
      if (taken !== 1) return undefined;
    } catch (error) {
      this.outage.failed(error);
      // Let in (the caller's per-instance limit still holds), and written to Redis by the re-sync once it is back.
      this.heartbeat.requestResync();
    }
    return this.slot(userId, key, slotId);
  }

  private slot(userId: string, key: string, slotId: string): ClusterSlot {
    let slots = this.held.get(userId);
    if (!slots) this.held.set(userId, (slots = new Set()));
    slots.add(slotId);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      const userSlots = this.held.get(userId);
      userSlots?.delete(slotId);
      if (userSlots?.size === 0) this.held.delete(userId);
      const missed = () => void this.unreleased.push([key, slotId]);
      if (!isClientReady(this.heartbeat.client)) return missed();
      command(this.heartbeat.client, ['HDEL', key, slotId]).catch(missed);
    };
    const timer = setTimeout(release, UNCLAIMED_SLOT_MS).unref();
    return { release, claim: () => clearTimeout(timer) };
  }

  /** Writes this instance's slots back (Redis lost them, or dropped them when it reaped this instance during an outage). */
  private async resync(): Promise<void> {
    const { client, instanceId } = this.heartbeat;
    await this.flushReleases();
    for (const [userId, slots] of this.held) {
      if (slots.size === 0) continue;
      await command(client, ['HSET', this.heartbeat.key('user-connections', userId), ...[...slots].flatMap((slot) => [slot, instanceId])]);
    }
  }

  private async flushReleases(): Promise<void> {
    while (this.unreleased.length > 0) {
      const [key, slotId] = this.unreleased[0]!;
      await command(this.heartbeat.client, ['HDEL', key, slotId]);
      this.unreleased.shift();
    }
  }
}
