import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'socket.io';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { createOriginCheck, hasSessionId, isJsonpRequest, type OriginCheck } from '../handshake/origin-allowlist.js';
import { loadSocketParser } from './socket-parser.js';

type AllowRequest = NonNullable<ServerOptions['allowRequest']>;

/** Options a gateway decorator may set for the Socket.IO server it creates. */
export type GatewayServerOptions = Partial<ServerOptions> & {
  allowRequestsWithoutOrigin?: boolean;
  /**
   * Makes a token optional on this gateway's namespace (see `auth`); needs a `namespace`.
   * Not a server option: the main namespace is made public with `auth.publicNamespaces: ['/']`.
   */
  public?: boolean;
};

/** The options one Socket.IO server is created with, and the origin check its requests pass. */
export interface MergedServerOptions {
  serverOptions: Partial<ServerOptions>;
  originCheck: OriginCheck | undefined;
}

/** The Socket.IO server options the module's options stand for. */
export function moduleServerOptions(options: ResolvedRealtimeOptions): GatewayServerOptions {
  const parser = loadSocketParser(options.parser);
  return {
    ...(parser ? { parser } : {}),
    cors: options.cors,
    allowRequestsWithoutOrigin: options.allowRequestsWithoutOrigin,
    path: options.path,
    transports: options.transports,
    maxHttpBufferSize: options.maxHttpBufferSize,
    pingInterval: options.pingInterval,
    pingTimeout: options.pingTimeout,
    connectTimeout: options.connectTimeout,
    serveClient: options.serveClient,
    ...(options.connectionStateRecovery ? { connectionStateRecovery: options.connectionStateRecovery } : {}),
  };
}

/** Only the keys a decorator actually set, so an absent key never erases a module option. */
export function explicitOptions(gatewayOptions: GatewayServerOptions): GatewayServerOptions {
  return Object.fromEntries(
    Object.entries(gatewayOptions).filter(([, value]) => value !== undefined),
  ) as GatewayServerOptions;
}

/**
 * The options one Socket.IO server is created with: the module's options, overridden by what the
 * gateway decorator sets explicitly, and the origin allowlist its requests are held to.
 */
export function mergeServerOptions(
  moduleOptions: GatewayServerOptions,
  gatewayOptions: GatewayServerOptions,
): MergedServerOptions {
  const {
    allowRequestsWithoutOrigin = true,
    public: _namespaceLevel,
    ...merged
  } = { ...moduleOptions, ...explicitOptions(gatewayOptions) };
  return { serverOptions: merged, originCheck: createOriginCheck(merged.cors, allowRequestsWithoutOrigin) };
}

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
 * Admits a handshake: refused once the app is shutting down (see `RealtimeDrain`) and over
 * `limits.handshakesPerIp`, before anything more expensive; then the request check; then the
 * gateway's own `allowRequest`, if any.
 */
export function admitHandshakes(
  draining: () => boolean,
  admitIp: (req: IncomingMessage) => boolean,
  check: RequestCheck,
  next: AllowRequest | undefined,
): AllowRequest {
  return (req, callback) => {
    if (draining()) return callback('Server is shutting down', false);
    if (!admitIp(req)) return callback('Too many connection attempts', false);
    check(req).then((refusal) => {
      if (refusal !== undefined) return callback(refusal, false);
      if (next) return next(req, callback);
      callback(null, true);
    }, () => callback('Request check failed', false));
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
