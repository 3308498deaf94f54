import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import { RealtimeConfigError } from '../config/realtime-config.error.js';

/**
 * Which proxies in front of the app may say who the client is (`X-Forwarded-For`), as Express's
 * `trust proxy` setting:
 * - `false`: none; the client is the TCP peer;
 * - `true`: every hop (only when every request certainly comes through your proxy);
 * - a number: that many hops from the app (e.g. `1` behind one load balancer);
 * - addresses or CIDR ranges, as an array or a comma-separated string, and the names
 *   `'loopback'`, `'linklocal'`, `'uniquelocal'`: the proxies at those addresses;
 * - a function `(address, hopIndex) => boolean`: trust that hop.
 */
export type RealtimeTrustProxy = boolean | number | string | string[] | ((address: string, hopIndex: number) => boolean);

/** Tells whether one hop of a request's path may be believed about the hop before it. */
export type TrustedHop = (address: string, hopIndex: number) => boolean;

/** The default: no hop is trusted, so the TCP peer is the client. */
export const TRUST_NO_PROXY: TrustedHop = () => false;

/** Validates `trustProxy` at boot and compiles it into the check `clientIp()` uses. */
export function resolveTrustProxy(value: unknown): TrustedHop {
  if (value === undefined || value === false) return TRUST_NO_PROXY;
  if (value === true) return () => true;
  if (typeof value === 'function') return value as TrustedHop;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new RealtimeConfigError('trustProxy', value, 'a hop count (a whole number, 0 or more)');
    return (_address, hopIndex) => hopIndex < value;
  }
  const list = typeof value === 'string' ? value.split(',').map((entry) => entry.trim()) : value;
  if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string')) {
    throw new RealtimeConfigError('trustProxy', value, 'true, false, a hop count, addresses or CIDR ranges, or a function');
  }
  try {
    return proxyAddr.compile(list);
  } catch (error) {
    throw new RealtimeConfigError('trustProxy', value, `addresses or CIDR ranges (${(error as Error).message})`);
  }
}

/**
 * The client's IP address: the TCP peer, or the address a trusted proxy forwarded. The
 * `X-Forwarded-For` header is read only as far back as `trustProxy` trusts the hops.
 */
export function clientIp(req: IncomingMessage, trusted: TrustedHop): string {
  const peer = req.socket?.remoteAddress;
  // Handshakes are a hot path: without trusted proxies there is no header to parse.
  if (!peer || trusted === TRUST_NO_PROXY) return peer ?? '';
  return proxyAddr(req, trusted);
}
