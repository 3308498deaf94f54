import { io, type Socket } from 'socket.io-client';
import { sleep } from '../lib/stats.js';
import { clientOptions, TokenPool, type ClientOptions } from './clients.js';
import { CountingLoad } from './load-pattern.js';

export interface HandshakeParams {
  url: string;
  /** Handshakes in progress at any time. */
  concurrency: number;
  /** Distinct users the tokens are signed for (target (c)). */
  users: number;
  client: ClientOptions;
}

/**
 * Connect → (connected) → disconnect, in `concurrency` loops. A handshake counts when the client
 * sees `connect`, i.e. after the server accepted it (and, for (c), verified the JWT).
 */
export class HandshakeLoad extends CountingLoad {
  private params!: HandshakeParams;
  private tokens!: TokenPool;
  private running = false;
  private loops: Promise<void>[] = [];
  private nextUser = 0;
  private readonly open = new Set<Socket>();

  async setup(params: HandshakeParams): Promise<number> {
    this.params = params;
    this.tokens = new TokenPool(params.client.secret, params.users);
    return params.concurrency;
  }

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.params.concurrency }, () => this.loop());
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const ok = await this.handshake();
      if (!ok) await sleep(20);
    }
  }

  private handshake(): Promise<boolean> {
    const startedAt = performance.now();
    const socket = io(this.params.url, clientOptions(this.params.client, this.tokens.get(this.nextUser++)));
    this.open.add(socket);
    return new Promise((resolve) => {
      const finish = (ok: boolean) => {
        socket.off('connect').off('connect_error');
        socket.close();
        this.open.delete(socket);
        resolve(ok);
      };
      socket.once('connect', () => {
        this.counter.done(performance.now() - startedAt);
        finish(true);
      });
      socket.once('connect_error', () => {
        this.counter.failed();
        finish(false);
      });
    });
  }

  async pause(): Promise<void> {
    this.running = false;
    await Promise.race([Promise.all(this.loops), sleep(10_000)]);
  }

  async stop(): Promise<void> {
    await this.pause();
    for (const socket of this.open) socket.close();
  }
}
