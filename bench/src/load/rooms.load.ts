import type { Socket } from 'socket.io-client';
import { EVENTS } from '../targets/protocol.js';
import { closeAll, connectMany, TokenPool, type ClientOptions } from './clients.js';
import { CountingLoad, drain } from './load-pattern.js';

export interface RoomsParams {
  url: string;
  /** Clients, each a different user, each looping join → leave. */
  clients: number;
  /** Client i uses room i mod rooms, so each room has clients/rooms users coming and going. */
  rooms: number;
  client: ClientOptions;
}

/** `joinRoom` then `leaveRoom`, each acked, in a loop per client; one op = one join or one leave. */
export class RoomsLoad extends CountingLoad {
  private params!: RoomsParams;
  private sockets: Socket[] = [];
  private running = false;
  private inFlight = 0;

  async setup(params: RoomsParams): Promise<number> {
    this.params = params;
    this.sockets = await connectMany([params.url], params.clients, params.client, new TokenPool(params.client.secret, params.clients));
    return this.sockets.length;
  }

  start(): void {
    this.running = true;
    this.sockets.forEach((socket, i) => this.step(socket, `room-${i % this.params.rooms}`, true));
  }

  private step(socket: Socket, room: string, join: boolean): void {
    const sentAt = performance.now();
    this.inFlight++;
    socket.emit(join ? EVENTS.joinRoom : EVENTS.leaveRoom, { room }, (response: { status?: string } | undefined) => {
      this.inFlight--;
      if (response?.status === 'ok') this.counter.done(performance.now() - sentAt);
      else this.counter.failed();
      // Always leave after a join, even when stopping, so rooms end empty.
      if ((this.running || join) && socket.connected) this.step(socket, room, !join);
    });
  }

  async pause(): Promise<void> {
    this.running = false;
    await drain(() => this.inFlight === 0);
  }

  async stop(): Promise<void> {
    await this.pause();
    closeAll(this.sockets);
    this.sockets = [];
  }
}
