import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { RealtimeServers } from '../service/realtime-servers.js';
import { NativeWsClients } from '../connection/native-ws-clients.js';
import type { Socket } from 'socket.io';
import { emitToClient, isNativeWsClient, type NativeWsClient } from '../connection/client-transport.js';
import { WS_CLOSE_GOING_AWAY, DRAINING_EVENT } from '../protocol/index.js';
import { RealtimeTelemetry } from '../observability/realtime-telemetry.js';
import { observeDrain } from './drain-metrics.js';

/**
 * Graceful drain on `app.close()` (and SIGTERM with `enableShutdownHooks()`), before Nest closes
 * the servers: refuse new connections, tell every client (`server:draining { reconnectDelayMs }`),
 * then disconnect them in batches within `drain.timeoutMs`. Presence is announced by
 * `PresenceService` at the same time, and Redis closes last.
 */
@Injectable()
export class RealtimeDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger('RealtimeDrain');
  /** Connections the drain has yet to disconnect (0 until it starts, and once it is done). */
  private remaining = 0;

  constructor(
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
    private readonly servers: RealtimeServers,
    private readonly nativeWs: NativeWsClients,
    // Null unless observability is on and an OpenTelemetry SDK is registered.
    @Optional() @Inject(RealtimeTelemetry) telemetry?: RealtimeTelemetry | null,
  ) {
    if (telemetry?.metered) observeDrain(telemetry, () => ({ draining: this.servers.draining, remaining: this.remaining }));
  }

  async beforeApplicationShutdown(): Promise<void> {
    const { timeoutMs, batchSize, reconnectDelayMs } = this.options.drain;
    this.servers.startDraining();
    const namespaces = this.servers.namespaces();
    // `local`: this instance's clients only, not the whole cluster's through the Redis adapter.
    for (const namespace of namespaces) namespace.local.emit(DRAINING_EVENT, { reconnectDelayMs });
    const natives = this.nativeWs.all();
    for (const client of natives) emitToClient(client, DRAINING_EVENT, { reconnectDelayMs });

    const clients = [
      ...namespaces.flatMap((namespace) => [...namespace.sockets.values()]),
      ...natives,
    ];
    if (clients.length === 0) return;
    const batches = Math.ceil(clients.length / batchSize);
    // Spread over most of the deadline, never more than a second apart.
    const pauseMs = batches > 1 ? Math.min(1000, (timeoutMs * 0.8) / (batches - 1)) : 0;
    const deadline = Date.now() + timeoutMs;
    this.remaining = clients.length;
    for (let start = 0; start < clients.length; start += batchSize) {
      const lastBatch = Date.now() >= deadline;
      const end = Math.min(lastBatch ? clients.length : start + batchSize, clients.length);
      for (const client of clients.slice(start, end)) closeConnection(client);
      this.remaining = clients.length - end;
      if (lastBatch || end >= clients.length) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pauseMs, Math.max(0, deadline - Date.now()))));
    }
    this.logger.log(`Drained ${clients.length} client(s) in ${batches} batch(es).`);
  }
}

/**
 * Closes the connection under the client, not the Socket.IO session: the client sees
 * `transport close` and reconnects by itself (to another instance), which it would not after a
 * server-side `disconnect()`.
 */
function closeConnection(client: Socket | NativeWsClient): void {
  if (isNativeWsClient(client)) return client.close(WS_CLOSE_GOING_AWAY, 'server draining');
  // A long-polling client may never poll again: without discarding, Engine.IO would wait up to
  // 30 s for it, holding the process open after app.close().
  client.conn.close(client.conn.transport.name === 'polling');
}
