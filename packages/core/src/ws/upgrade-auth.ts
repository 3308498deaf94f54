import type { IncomingMessage } from 'node:http';
import type { HandshakeInfo, ResolvedAuthOptions } from '../auth/auth-options.interface.js';
import { AuthFailure } from '../auth/auth-failure.js';
import { extractToken } from '../auth/extract-token.js';
import type { Authenticated } from '../auth/socket-auth-state.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { WS_TOKEN_PROTOCOL } from '../protocol/index.js';

/** What a native client sent in its HTTP upgrade request, shaped like a Socket.IO handshake. */
export interface UpgradeHandshake {
  /** `auth.token` is the token from `Sec-WebSocket-Protocol` (the `auth` token source). */
  auth: { token?: string };
  headers: IncomingMessage['headers'];
  query: Record<string, string>;
  address: string;
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

/**
 * Authentication of native WebSocket upgrades, with the same token sources (in the same order)
 * as Socket.IO handshakes: `auth` is the `Sec-WebSocket-Protocol` token, `header` the
 * `Authorization: Bearer` header, then `cookie` and `query`.
 */
export class UpgradeAuth {
  private readonly publicPaths = new Set<string>();

  constructor(
    private readonly options: ResolvedAuthOptions,
    private readonly verifier: TokenVerifier,
  ) {}

  /** Makes a token optional on a gateway's path (a gateway declared with `public: true`). */
  markPublic(path: string): void {
    this.publicPaths.add(path);
  }

  /**
   * The verified identity, or undefined for an anonymous client on a public path.
   * @throws AuthFailure
   */
  async authenticate(handshake: UpgradeHandshake, path: string): Promise<Authenticated | undefined> {
    const token = extractToken(handshake, this.options.tokenSources, this.options.cookieName);
    if (!token) {
      if (!this.options.required || this.publicPaths.has(path)) return undefined;
      throw new AuthFailure('missing_token', 'Authentication required: no token was sent');
    }
    const info: HandshakeInfo = { headers: handshake.headers, address: handshake.address, namespace: path, query: handshake.query };
    return this.verifier.authenticate(token, info);
  }
}
