import type { Socket } from 'socket.io-client';
import { EVENTS } from '../targets/protocol.js';
import { closeAll, connectMany, request, TokenPool, type ClientOptions } from './clients.js';
import { CountingLoad } from './load-pattern.js';

export interface BigRoomParams {
  url: string;
  /** Clients, each a different user; client i is user `u<i>`. */
  clients: number;
  client: ClientOptions;
}

/** What the join answers of one step weighed. */
export interface JoinAcks {
  /** Bytes of the largest join answer (its JSON), the one the joiner waits for. */
  maxAckBytes: number;
}

/**
 * One room filled by many users: the orchestrator drives it step by step (`invoke`) and measures
 * the server's CPU around each step, so there is no load loop: start/pause do nothing.
 */
export class BigRoomLoad extends CountingLoad {
  private sockets: Socket[] = [];
  private presenceEvents = 0;

  async setup(params: BigRoomParams): Promise<number> {
    this.sockets = await connectMany([params.url], params.clients, params.client, new TokenPool(params.client.secret, params.clients), 64);
    return this.sockets.length;
  }

  start(): void {}

  async pause(): Promise<void> {}

  async stop(): Promise<void> {
    closeAll(this.sockets);
    this.sockets = [];
  }

  /** Clients `from`…`to - 1` join `room` one after another, each waiting for its answer. */
  async joinInTurn(room: string, from: number, to: number): Promise<JoinAcks> {
    let maxAckBytes = 0;
    for (let i = from; i < to; i++) maxAckBytes = Math.max(maxAckBytes, await this.join(i, room));
    return { maxAckBytes };
  }

  /** Clients `from`…`to - 1` join `room` all at once (a meeting starting, a reconnect wave). */
  async joinAtOnce(room: string, from: number, to: number): Promise<JoinAcks> {
    const sizes = await Promise.all(Array.from({ length: to - from }, (_, k) => this.join(from + k, room)));
    return { maxAckBytes: Math.max(0, ...sizes) };
  }

  /** Clients `from`…`to - 1` each join a room of their own: the cost of a join into an empty room. */
  async joinAlone(from: number, to: number): Promise<JoinAcks> {
    let maxAckBytes = 0;
    for (let i = from; i < to; i++) maxAckBytes = Math.max(maxAckBytes, await this.join(i, `alone-${i}`));
    return { maxAckBytes };
  }

  /** Counts the presence broadcasts client `index` receives from now on (the joiner's own state excluded). */
  watch(index: number): void {
    this.presenceEvents = 0;
    this.sockets[index]!.onAny((event: string) => {
      if (event.startsWith('presence:') && event !== 'presence:state') this.presenceEvents++;
    });
  }

  /** Presence broadcasts the watched client received since `watch()`. */
  watched(): number {
    return this.presenceEvents;
  }

  private async join(i: number, room: string): Promise<number> {
    const answer = await request<{ status?: string; error?: { code?: string } }>(this.sockets[i]!, EVENTS.joinRoom, { room }, 120_000);
    if (answer?.status !== 'ok') throw new Error(`joinRoom answered ${JSON.stringify(answer).slice(0, 200)}`);
    return Buffer.byteLength(JSON.stringify(answer));
  }
}
