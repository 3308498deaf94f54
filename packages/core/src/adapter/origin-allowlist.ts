import type { IncomingMessage } from 'node:http';
import type { RealtimeCorsOptions } from '../options/realtime-module-options.interface.js';

type StaticOrigin = boolean | string | RegExp | (boolean | string | RegExp)[];
type OriginCallback = (err: Error | null, origin?: StaticOrigin) => void;
type CustomOrigin = (requestOrigin: string | undefined, callback: OriginCallback) => void;
type CorsDelegate = (req: IncomingMessage, callback: (err: Error | null, options?: { origin?: unknown }) => void) => void;

/** Decides whether a handshake request may open a connection, judged by its `Origin` header. */
export type OriginCheck = (req: IncomingMessage) => Promise<boolean>;

/**
 * Turns Socket.IO's `cors` setting into a check that runs on every handshake, WebSocket upgrades
 * included. Socket.IO applies `cors` to HTTP responses only, so without this a page on any origin
 * could open a WebSocket that carries the user's cookies (cross-site WebSocket hijacking).
 *
 * Returns `undefined` when `cors` allows every origin or is not set: nothing to enforce.
 */
export function createOriginCheck(
  cors: RealtimeCorsOptions | undefined,
  allowRequestsWithoutOrigin: boolean,
): OriginCheck | undefined {
  if (cors === undefined) return undefined;
  if (typeof cors !== 'function' && allowsEveryOrigin(cors.origin)) return undefined;

  return async (req) => {
    const origin = req.headers.origin;
    if (origin === undefined) return allowRequestsWithoutOrigin;
    const allowed = typeof cors === 'function' ? (await corsOptionsFor(cors as CorsDelegate, req)).origin : cors.origin;
    if (allowsEveryOrigin(allowed)) return true;
    return originMatches(await resolveOrigin(allowed, origin), origin, req);
  };
}

function allowsEveryOrigin(origin: unknown): boolean {
  // The `cors` package treats a missing origin as "*".
  return origin === undefined || origin === '*';
}

function corsOptionsFor(delegate: CorsDelegate, req: IncomingMessage): Promise<{ origin?: unknown }> {
  return new Promise((resolve, reject) =>
    delegate(req, (err, options) => (err ? reject(err) : resolve(options ?? {}))),
  );
}

function resolveOrigin(allowed: unknown, origin: string): Promise<unknown> {
  if (typeof allowed !== 'function') return Promise.resolve(allowed);
  return new Promise((resolve, reject) =>
    (allowed as CustomOrigin)(origin, (err, result) => (err ? reject(err) : resolve(result))),
  );
}

function originMatches(allowed: unknown, origin: string, req: IncomingMessage): boolean {
  if (allowed === true || allowed === '*') return true;
  // `origin: false` disables CORS: only pages served by this very host may connect.
  if (allowed === false) return isSameHost(origin, req);
  if (typeof allowed === 'string') return allowed === origin;
  if (allowed instanceof RegExp) return allowed.test(origin);
  if (Array.isArray(allowed)) return allowed.some((entry) => entry !== false && originMatches(entry, origin, req));
  return false;
}

function isSameHost(origin: string, req: IncomingMessage): boolean {
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
