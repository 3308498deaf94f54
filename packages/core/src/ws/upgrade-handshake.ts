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

/**
 * What a connection keeps of its upgrade for `validate()` on `auth:refresh`: the headers without
 * the WebSocket handshake's own (`Sec-WebSocket-Protocol` carries the token), so the token and the
 * upgrade request are not held for the connection's lifetime.
 */
export function retainedHandshake({ headers, query, address }: UpgradeHandshake): WsHandshake {
  const kept: IncomingMessage['headers'] = {};
  for (const name in headers) if (!name.startsWith('sec-websocket-')) kept[name] = headers[name];
  return { headers: kept, query, address };
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
