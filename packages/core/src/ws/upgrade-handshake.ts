import type { IncomingMessage } from 'node:http';
import { WS_TOKEN_PROTOCOL } from '../protocol/index.js';
import type { WsHandshake } from './ws-connection.js';

/**
 * What a native client sent in its HTTP upgrade request, shaped like a Socket.IO handshake so the
 * token sources read the same: `auth.token` is the token from `Sec-WebSocket-Protocol`.
 */
export interface UpgradeHandshake extends WsHandshake {
  auth: { token?: string };
}

/** @param address the client's IP, as `trustProxy` resolves it */
export function upgradeHandshake(req: IncomingMessage, url: URL, address: string): UpgradeHandshake {
  return {
    auth: { token: protocolToken(req.headers['sec-websocket-protocol']) },
    headers: req.headers,
    query: Object.fromEntries(url.searchParams),
    address,
  };
}

/** The token offered as `Sec-WebSocket-Protocol: bearer, <token>`. */
function protocolToken(header: string | undefined): string | undefined {
  const offered = header?.split(',').map((value) => value.trim()) ?? [];
  const index = offered.indexOf(WS_TOKEN_PROTOCOL);
  return index >= 0 ? offered[index + 1] : undefined;
}

/** Answers `bearer` when the token came as a subprotocol (never the token itself), else the first offered. */
export function chooseProtocol(protocols: Set<string>): string | false {
  if (protocols.has(WS_TOKEN_PROTOCOL)) return WS_TOKEN_PROTOCOL;
  const [first] = protocols;
  return first ?? false;
}
