import type { IncomingMessage } from 'node:http';
import type { RealtimeCorsOptions } from '../options/realtime-module-options.interface.js';

type StaticOrigin = boolean | string | RegExp | (boolean | string | RegExp)[];
type OriginCallback = (err: Error | null, origin?: StaticOrigin) => void;
type CustomOrigin = (requestOrigin: string | undefined, callback: OriginCallback) => void;
type CorsDelegate = (req: IncomingMessage, callback: (err: Error | null, options?: { origin?: unknown }) => void) => void;

/** Decides whether a request may open (or carry on) a connection, judged by where the browser says it comes from. */
export type OriginCheck = (req: IncomingMessage) => Promise<boolean>;

/**
 * Turns Socket.IO's `cors` setting into a check that runs on every request of a connection,
 * WebSocket upgrades included. Socket.IO applies `cors` to HTTP responses only, so without this a
 * page on any origin could open a WebSocket that carries the user's cookies (cross-site
 * WebSocket hijacking).
 *
 * A request without `Origin` is a non-browser client (admitted when `allowRequestsWithoutOrigin`)
 * only when it also carries no fetch-metadata header: browsers omit `Origin` on `<script>` loads
 * and same-origin GETs, but they do send `Sec-Fetch-Site`, and pages cannot forge it. So a
 * script tag on a sibling subdomain (`Sec-Fetch-Site: same-site`, cookies attached) is refused,
 * and the app's own pages (`same-origin`) are not.
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
    if (origin === undefined) return allowRequestsWithoutOrigin && isNotCrossOriginBrowserRequest(req);
    const allowed = typeof cors === 'function' ? (await corsOptionsFor(cors as CorsDelegate, req)).origin : cors.origin;
    if (allowsEveryOrigin(allowed)) return true;
    return originMatches(await resolveOrigin(allowed, origin), origin, req);
  };
}

/** No fetch metadata (not a browser, or one too old to send it), or a browser attesting a same-origin request. */
function isNotCrossOriginBrowserRequest(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  return req.headers['sec-fetch-mode'] === undefined;
}

/**
 * Whether an Engine.IO request asks for JSONP polling (`?j=`). JSONP answers are scripts any page
 * can load with the visitor's cookies and no `Origin` header, and no supported Socket.IO client
 * uses it: it is never served.
 */
export function isJsonpRequest(req: IncomingMessage): boolean {
  return queryOf(req).has('j');
}

/** Whether an Engine.IO request belongs to an open session (`?sid=`) rather than opening one. */
export function hasSessionId(req: IncomingMessage): boolean {
  return queryOf(req).has('sid');
}

function queryOf(req: IncomingMessage): URLSearchParams {
  const url = req.url ?? '';
  const start = url.indexOf('?');
  return new URLSearchParams(start < 0 ? '' : url.slice(start + 1));
}

/**
 * Why accepting tokens from cookies with this `cors` setting lets any website act as the
 * visitor, or `undefined` when `cors.origin` is an allowlist the library can see.
 */
export function cookieOriginRisk(cors: RealtimeCorsOptions | undefined): string | undefined {
  if (cors === undefined) return 'has no cors.origin allowlist';
  if (typeof cors === 'function') return 'has a cors delegate function, which cannot be checked to be an allowlist';
  return originRisk(cors.origin);
}

/**
 * The boot warning for tokens accepted from cookies under a `cors` setting that lets any website
 * act as the visitor, or `undefined` when there is nothing to warn about.
 * @param subject what accepts the cookies, ending where the risk is said (`… but`)
 * @param opening what another website could open (`a connection`, `a WebSocket`)
 */
export function cookieOriginWarning(
  tokenSources: readonly string[] | undefined,
  cors: RealtimeCorsOptions | undefined,
  subject: string,
  opening: string,
): string | undefined {
  const risk = tokenSources?.includes('cookie') ? cookieOriginRisk(cors) : undefined;
  if (risk === undefined) return undefined;
  return (
    `${subject} ${risk}: any website can open ${opening} with your users' cookies. ` +
    'Set cors.origin to an allowlist of your origins, or drop "cookie" from auth.tokenSources.'
  );
}

// Any origin a RegExp entry admits besides the ones it was written for shows a pattern like /.*/.
const PROBE_ORIGIN = 'https://nestjs-realtime-origin-probe.invalid';

function originRisk(origin: unknown): string | undefined {
  if (allowsEveryOrigin(origin)) return 'has no cors.origin allowlist';
  if (origin === true) return 'reflects every origin (cors.origin: true)';
  if (typeof origin === 'function') return 'has a cors.origin function, which cannot be checked to be an allowlist';
  if (origin instanceof RegExp && new RegExp(origin.source, origin.flags.replace(/[gy]/g, '')).test(PROBE_ORIGIN)) return `has a cors.origin pattern ${String(origin)} that admits any origin`;
  if (Array.isArray(origin)) return origin.map(originRisk).find((risk) => risk !== undefined);
  return undefined;
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
