import { WS_CLOSE_RATE_LIMITED } from '../protocol/index.js';

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

/**
 * Disconnects a client of either transport; a native one is closed with `code` and `reason`.
 *
 * A Socket.IO socket is one namespace of its client's connection (a browser tab multiplexes
 * `/chat` and `/notifications` over one): only that namespace socket is disconnected, and the
 * tab's others stay. A flood (`WS_CLOSE_RATE_LIMITED`) ends the whole connection instead: its
 * budget is per namespace socket, and a namespace reconnects over a live connection at once, with a
 * fresh budget and past `limits.handshakesPerIp`; coming back must take a new handshake.
 */
export function disconnectClient(client: NativeWsClient | { disconnect(close?: boolean): unknown }, code: number, reason: string): void {
  if (isNativeWsClient(client)) client.close(code, reason);
  else client.disconnect(code === WS_CLOSE_RATE_LIMITED);
}
