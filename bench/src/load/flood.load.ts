import type { Socket } from 'socket.io-client';
import { EVENTS } from '../targets/protocol.js';
import { closeAll, connectMany, TokenPool, type ClientOptions } from './clients.js';
import { CountingLoad } from './load-pattern.js';

export interface FloodParams {
  urls: string[];
  /** Messages per second the one flooding client sends (no acks: it does not wait). */
  ratePerS: number;
  client: ClientOptions;
}

/**
 * One client sending `echo` far over its rate limit. It records no latencies, so the probe's
 * latencies are the other clients'; refusals it receives are counted as `refused`.
 */
export class FloodLoad extends CountingLoad {
  private sockets: Socket[] = [];
  private params!: FloodParams;
  private timer?: NodeJS.Timeout;

  async setup(params: FloodParams): Promise<number> {
    this.sockets = await connectMany(params.urls, 1, params.client, new TokenPool(params.client.secret, 1));
    const [socket] = this.sockets;
    socket!.on('exception', (error: { code?: string }) => {
      if (error?.code === 'RATE_LIMITED') this.counter.add('refused');
    });
    this.params = params;
    return this.sockets.length;
  }

  start(): void {
    const [socket] = this.sockets;
    // 10 ms ticks, each sending its share of the rate.
    const perTick = Math.max(1, Math.round(this.params.ratePerS / 100));
    this.timer = setInterval(() => {
      for (let i = 0; i < perTick; i++) socket!.emit(EVENTS.echo, { flood: i });
      this.counter.add('sent', perTick);
    }, 10);
  }

  async pause(): Promise<void> {
    clearInterval(this.timer);
  }

  async stop(): Promise<void> {
    await this.pause();
    closeAll(this.sockets);
    this.sockets = [];
  }
}
