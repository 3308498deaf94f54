import type { IncomingMessage } from 'node:http';
import { hasSessionId, isJsonpRequest, type OriginCheck } from './origin-allowlist.js';

/** Why a browser-facing check refuses a request, or `undefined` when it passes. */
export type RequestCheck = (req: IncomingMessage) => Promise<string | undefined>;

/**
 * What every request a browser could make must pass, on both transports: no JSONP, and the origin
 * allowlist. For Socket.IO it holds for every Engine.IO request, whether it opens a session or
 * belongs to one.
 */
export function browserRequestCheck(originCheck: OriginCheck | undefined): RequestCheck {
  return async (req) => {
    if (isJsonpRequest(req)) return 'JSONP polling is not served';
    if (!originCheck) return undefined;
    try {
      return (await originCheck(req)) ? undefined : 'Origin not allowed';
    } catch {
      return 'Origin check failed';
    }
  };
}

/**
 * Engine.IO asks `allowRequest` only when a session opens; this middleware holds the requests of
 * an open session (`?sid=`: polls, posts, the upgrade to WebSocket) to the same check, so a
 * session id is no way around it.
 */
export function sessionRequestGuard(check: RequestCheck): (req: IncomingMessage, res: unknown, next: (err?: Error) => void) => void {
  return (req, _res, next) => {
    if (!hasSessionId(req)) return next();
    check(req).then(
      (refusal) => next(refusal === undefined ? undefined : new Error(refusal)),
      () => next(new Error('Request check failed')),
    );
  };
}
