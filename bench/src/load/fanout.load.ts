import type { Socket } from 'socket.io-client';
import { EVENTS } from '../targets/protocol.js';
import { closeAll, connectMany, request, TokenPool, type ClientOptions } from './clients.js';
import { CountingLoad, drain } from './load-pattern.js';

export interface FanoutParams {
  /** Receivers are spread over these servers round-robin; the sender is receiver 0, on urls[0]. */
  urls: string[];
  /** Members of the room, the sender included. */
  receivers: number;
  /** Messages in flight: a message leaves the window once every member received it. */
  window: number;
  room: string;
  client: ClientOptions;
  /** A message not received by every member within this time counts as lost. */
  lostAfterMs?: number;
}

interface Pending {
  received: number;
  sentAt: number;
}

/**
 * One member of a room sends `msgToRoom`, the server broadcasts it to the room. Closed loop:
 * at most `window` messages are on their way; deliveries are counted per receiving client.
 */
export class FanoutLoad extends CountingLoad {
  private sockets: Socket[] = [];
  private params!: FanoutParams;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private running = false;
  private watchdog?: NodeJS.Timeout;

  async setup(params: FanoutParams): Promise<number> {
    this.params = params;
    this.sockets = await connectMany(params.urls, params.receivers, params.client, new TokenPool(params.client.secret, params.receivers));
    // Join one at a time: setup, not measured; keeps presence fan-out of the joins orderly.
    for (const socket of this.sockets) {
      const response = await request<{ status?: string; message?: string }>(socket, EVENTS.joinRoom, { room: params.room });
      if (response?.status !== 'ok') throw new Error(`joinRoom refused: ${JSON.stringify(response)}`);
    }
    for (const socket of this.sockets) {
      socket.on(EVENTS.msgToRoom, (delivery: { message: { id: number } }) => this.onDelivery(delivery.message.id));
    }
    return this.sockets.length;
  }

  start(): void {
    this.running = true;
    const lostAfterMs = this.params.lostAfterMs ?? 5000;
    this.watchdog = setInterval(() => {
      const now = performance.now();
      for (const [id, pending] of this.pending) {
        if (now - pending.sentAt > lostAfterMs) {
          this.pending.delete(id);
          this.counter.failed();
        }
      }
      this.pump();
    }, 500);
    this.pump();
  }

  private pump(): void {
    const sender = this.sockets[0]!;
    while (this.running && this.pending.size < this.params.window) {
      const id = this.nextId++;
      this.pending.set(id, { received: 0, sentAt: performance.now() });
      sender.emit(EVENTS.msgToRoom, { room: this.params.room, message: { id, text: 'hello, room' } }, (ack: { status?: string }) => {
        if (ack?.status !== 'ok') this.counter.failed();
      });
    }
  }

  private onDelivery(id: number): void {
    this.counter.done();
    const pending = this.pending.get(id);
    if (!pending) return;
    if (++pending.received === this.params.receivers) {
      this.pending.delete(id);
      // Latency of a whole fan-out: sent → received by the last member.
      this.counter.sample(performance.now() - pending.sentAt);
      this.counter.add('messages');
      this.pump();
    }
  }

  async pause(): Promise<void> {
    this.running = false;
    clearInterval(this.watchdog);
    await drain(() => this.pending.size === 0, 5000);
    this.pending.clear();
  }

  async stop(): Promise<void> {
    await this.pause();
    closeAll(this.sockets);
    this.sockets = [];
  }
}
