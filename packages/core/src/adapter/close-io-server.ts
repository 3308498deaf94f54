import type { Server } from 'socket.io';

/**
 * Closes a Socket.IO server without waiting for its clients to leave.
 *
 * With `keepHttpServer`, the HTTP server it is attached to stays open: that one is Nest's, and
 * Nest closes it right after the adapter. Closing it here too would make Nest's own close fail.
 * Sockets end without a disconnect packet so that clients reconnect (to another instance).
 */
export async function closeIoServer(io: Server, { keepHttpServer }: { keepHttpServer: boolean }): Promise<void> {
  if (!keepHttpServer) {
    await io.close();
    return;
  }
  // The same steps as Server#close(), less closing the HTTP server.
  await Promise.allSettled(
    [...io._nsps.values()].map(async (namespace) => {
      for (const socket of namespace.sockets.values()) socket._onclose('server shutting down');
      await namespace.adapter.close();
    }),
  );
  io.engine.close();
}
