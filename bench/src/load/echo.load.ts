import { EVENTS } from '../targets/protocol.js';
import { closeAll, TokenPool, type ClientOptions } from './clients.js';
import { CountingLoad, drain } from './load-pattern.js';
import { connectClients, type RequestClient } from './request-client.js';

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

/**
 * `echo` answered (a Socket.IO ack, or a native reply frame), `clients × depth` requests always
 * in flight; latency = send → answer.
 */
export class EchoLoad extends CountingLoad {
  private clients: RequestClient[] = [];
  private params!: EchoParams;
  private payload: unknown;
  private running = false;
  private inFlight = 0;
  private pacer?: NodeJS.Timeout;

  async setup(params: EchoParams): Promise<number> {
    this.params = params;
    this.payload = { data: 'x'.repeat(params.payloadBytes) };
    this.clients = await connectClients(params.urls, params.clients, params.client, new TokenPool(params.client.secret, params.clients));
    return this.clients.length;
  }

  start(): void {
    this.running = true;
    const rate = this.params.ratePerClient;
    if (rate) {
      this.pacer = setInterval(() => {
        for (const client of this.clients) if (client.connected) this.fire(client, false);
      }, 1000 / rate);
      return;
    }
    for (const client of this.clients) for (let i = 0; i < this.params.depth; i++) this.fire(client);
  }

  /** One request; closed-loop (`chain`), the next leaves when its answer arrives. */
  private fire(client: RequestClient, chain = true): void {
    const sentAt = performance.now();
    this.inFlight++;
    client.request(EVENTS.echo, this.payload, (response) => {
      this.inFlight--;
      if ((response as { status?: string } | undefined)?.status === 'error') this.counter.failed();
      else this.counter.done(performance.now() - sentAt);
      if (chain && this.running && client.connected) this.fire(client);
    });
  }

  async pause(): Promise<void> {
    this.running = false;
    clearInterval(this.pacer);
    await drain(() => this.inFlight === 0);
  }

  async stop(): Promise<void> {
    await this.pause();
    closeAll(this.clients);
    this.clients = [];
  }
}
