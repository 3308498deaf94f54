import { closeAll, TokenPool, type ClientOptions } from './clients.js';
import { CountingLoad } from './load-pattern.js';
import { connectClients, type RequestClient } from './request-client.js';

export interface IdleParams {
  url: string;
  count: number;
  concurrency: number;
  client: ClientOptions;
}

/** Opens `count` connections on `connect()` and leaves them idle (memory per connection). */
export class IdleLoad extends CountingLoad {
  protected override readonly measuresLatency = false;
  private params!: IdleParams;
  private tokens!: TokenPool;
  private clients: RequestClient[] = [];

  async setup(params: IdleParams): Promise<number> {
    this.params = params;
    this.tokens = new TokenPool(params.client.secret, params.count);
    return 0;
  }

  /** Connects `count` clients (default: all); resolves with how many are connected. */
  async connect(count = this.params.count): Promise<number> {
    this.clients = await connectClients([this.params.url], count, this.params.client, this.tokens, this.params.concurrency);
    return this.clients.filter((client) => client.connected).length;
  }

  /** Closes every client. */
  disconnect(): void {
    closeAll(this.clients);
    this.clients = [];
  }

  start(): void {}

  async pause(): Promise<void> {}

  async stop(): Promise<void> {
    closeAll(this.clients);
    this.clients = [];
  }
}
