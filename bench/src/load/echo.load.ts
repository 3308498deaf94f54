import type { Socket } from 'socket.io-client';
import { EVENTS } from '../targets/protocol.js';
import { closeAll, connectMany, TokenPool, type ClientOptions } from './clients.js';
import { CountingLoad, drain } from './load-pattern.js';

export interface EchoParams {
  urls: string[];
  /** Concurrent clients. */
  clients: number;
  /** Requests each client keeps in flight (pipelining). */
  depth: number;
  /** Size of the string the payload carries, in bytes. */
  payloadBytes: number;
  /** Paced instead of closed-loop: each client sends this many per second, whatever the answers. */
  ratePerClient?: number;
  client: ClientOptions;
}

/** `echo` with an ack, `clients × depth` requests always in flight; latency = emit → ack. */
export class EchoLoad extends CountingLoad {
  private sockets: Socket[] = [];
  private params!: EchoParams;
  private payload: unknown;
  private running = false;
  private inFlight = 0;
  private pacer?: NodeJS.Timeout;

  async setup(params: EchoParams): Promise<number> {
    this.params = params;
    this.payload = { data: 'x'.repeat(params.payloadBytes) };
    this.sockets = await connectMany(params.urls, params.clients, params.client, new TokenPool(params.client.secret, params.clients));
    return this.sockets.length;
  }

  start(): void {
    this.running = true;
    const rate = this.params.ratePerClient;
    if (rate) {
      this.pacer = setInterval(() => {
        for (const socket of this.sockets) if (socket.connected) this.fire(socket, false);
      }, 1000 / rate);
      return;
    }
    for (const socket of this.sockets) for (let i = 0; i < this.params.depth; i++) this.fire(socket);
  }

  /** One request; closed-loop (`chain`), the next leaves when its answer arrives. */
  private fire(socket: Socket, chain = true): void {
    const sentAt = performance.now();
    this.inFlight++;
    socket.emit(EVENTS.echo, this.payload, (response: { status?: string } | undefined) => {
      this.inFlight--;
      if (response && response.status === 'error') this.counter.failed();
      else this.counter.done(performance.now() - sentAt);
      if (chain && this.running && socket.connected) this.fire(socket);
    });
  }

  async pause(): Promise<void> {
    this.running = false;
    clearInterval(this.pacer);
    await drain(() => this.inFlight === 0);
  }

  async stop(): Promise<void> {
    await this.pause();
    closeAll(this.sockets);
    this.sockets = [];
  }
}
