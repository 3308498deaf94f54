import { createRequire } from 'node:module';
import type { ServerOptions } from 'socket.io';
import type { RealtimeParser } from '../options/realtime-module-options.interface.js';

const requirePeer = createRequire(import.meta.url);

/**
 * The Socket.IO parser module for the `parser` option, or undefined for Socket.IO's own.
 * `socket.io-msgpack-parser` is an optional peer, loaded only when asked for.
 */
export function loadSocketParser(parser: RealtimeParser): ServerOptions['parser'] | undefined {
  if (parser === 'default') return undefined;
  try {
    return requirePeer('socket.io-msgpack-parser') as ServerOptions['parser'];
  } catch {
    throw new Error(
      "parser: 'msgpack' needs the socket.io-msgpack-parser package: install it next to @nestjs-realtime/core (and use it in your clients).",
    );
  }
}
