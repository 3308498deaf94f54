import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'socket.io';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { createOriginCheck } from './origin-allowlist.js';
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

/** The options one Socket.IO server is created with, and whether it checks `Origin`. */
export interface MergedServerOptions {
  serverOptions: Partial<ServerOptions>;
  checksOrigin: boolean;
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
 * gateway decorator sets explicitly, plus the origin allowlist enforced on every handshake.
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
  const originCheck = createOriginCheck(merged.cors, allowRequestsWithoutOrigin);
  if (!originCheck) return { serverOptions: merged, checksOrigin: false };
  return { serverOptions: { ...merged, allowRequest: withOriginCheck(originCheck, merged.allowRequest) }, checksOrigin: true };
}

function withOriginCheck(
  originCheck: (req: IncomingMessage) => Promise<boolean>,
  next: AllowRequest | undefined,
): AllowRequest {
  return (req, callback) => {
    originCheck(req).then(
      (allowed) => {
        if (!allowed) return callback('Origin not allowed', false);
        if (next) return next(req, callback);
        callback(null, true);
      },
      () => callback('Origin check failed', false),
    );
  };
}

/**
 * Refuses new handshakes once the app is shutting down (see `RealtimeDrain`) and over
 * `limits.handshakesPerIp`, before anything more expensive (origin, token) is checked.
 */
export function admitHandshakes(
  draining: () => boolean,
  admitIp: (ip: string | undefined) => boolean,
  next: AllowRequest | undefined,
): AllowRequest {
  return (req, callback) => {
    if (draining()) return callback('Server is shutting down', false);
    if (!admitIp(req.socket.remoteAddress)) return callback('Too many connection attempts', false);
    if (next) return next(req, callback);
    callback(null, true);
  };
}
