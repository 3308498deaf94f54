import { Injectable } from '@nestjs/common';
import type { Namespace, Server } from 'socket.io';
import { namespaceName } from '../protocol/index.js';

/** A Socket.IO server as the boot line names it. */
export interface ServedSocketIo {
  path: string;
  transports: readonly string[];
}

/**
 * What the adapters serve in this app: the Socket.IO servers `RealtimeIoAdapter` opened, for
 * `RealtimeService` to reach, and the paths of the native WebSocket gateways, for the boot line.
 */
@Injectable()
export class RealtimeServers {
  private readonly servers = new Set<Server>();
  private readonly nativeWsPaths = new Set<string>();
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

  /** A native WebSocket gateway's path, recorded by `RealtimeWsAdapter` as it serves it. */
  addNativeWsPath(path: string): void {
    this.nativeWsPaths.add(path);
  }

  /** The paths native WebSocket gateways are served on. */
  nativeWs(): string[] {
    return [...this.nativeWsPaths];
  }

  /** Path and transports of each Socket.IO server, as it was created (a gateway may override the module's). */
  socketIo(): ServedSocketIo[] {
    return [...this.servers].map((io) => ({ path: io.path(), transports: io.engine.opts.transports ?? [] }));
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
