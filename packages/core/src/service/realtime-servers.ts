import { Injectable } from '@nestjs/common';
import type { Namespace, Server } from 'socket.io';
import { namespaceName } from '../protocol/index.js';

/** The Socket.IO servers `RealtimeIoAdapter` opened in this app, for `RealtimeService` to reach. */
@Injectable()
export class RealtimeServers {
  private readonly servers = new Set<Server>();
  private isDraining = false;

  /** Whether the app is shutting down: new connections are refused. */
  get draining(): boolean {
    return this.isDraining;
  }

  startDraining(): void {
    this.isDraining = true;
  }

  add(io: Server): void {
    this.servers.add(io);
  }

  delete(io: Server): void {
    this.servers.delete(io);
  }

  /** Connected Socket.IO clients (low-level connections, whatever their namespaces). */
  connectionCount(): number {
    let count = 0;
    for (const io of this.servers) count += io.engine?.clientsCount ?? 0;
    return count;
  }

  /** Every namespace of every server, or the one named (on every server that has it). */
  namespaces(name?: string): Namespace[] {
    const all = [...this.servers].flatMap((io) => [...io._nsps.values()]);
    if (name === undefined) return all;
    const wanted = namespaceName(name);
    return all.filter((namespace) => namespace.name === wanted);
  }
}
