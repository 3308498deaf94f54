/**
 * A native WebSocket client (the `ws` package's `WebSocket`) as served by `RealtimeWsAdapter`,
 * typed structurally so the main entry needs neither `ws` nor its types. Like a Socket.IO socket
 * it carries an `id` and `data` (`data.user` once authenticated).
 */
export interface NativeWsClient {
  id: string;
  data: Record<string, unknown>;
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A Socket.IO socket, or anything that emits to its client the same way. */
export interface EventEmittingClient {
  emit(event: string, ...args: unknown[]): unknown;
}

/** `WebSocket.OPEN` */
const OPEN = 1;


/** Tells a native WebSocket from a Socket.IO socket (only the latter has a namespace). */
export function isNativeWsClient(client: unknown): client is NativeWsClient {
  const candidate = client as Partial<NativeWsClient & { nsp: unknown }> | null;
  return typeof candidate?.send === 'function' && typeof candidate.readyState === 'number' && candidate.nsp === undefined;
}

/** Sends `{ event, data }` as one JSON text frame, if the connection is still open. */
export function sendFrame(client: NativeWsClient, event: string, data: unknown): void {
  if (client.readyState !== OPEN) return;
  client.send(JSON.stringify({ event, data }));
}

/**
 * Emits an event to a client of either transport: a Socket.IO event, or a `{ event, data }` frame
 * (several arguments travel as an array in `data`).
 */
export function emitToClient(client: NativeWsClient | EventEmittingClient, event: string, ...args: unknown[]): void {
  if (isNativeWsClient(client)) sendFrame(client, event, args.length === 1 ? args[0] : args);
  else client.emit(event, ...args);
}

/** Disconnects a client of either transport; a native one is closed with `code` and `reason`. */
export function disconnectClient(client: NativeWsClient | { disconnect(close: true): unknown }, code: number, reason: string): void {
  if (isNativeWsClient(client)) client.close(code, reason);
  else client.disconnect(true);
}
