import type { ServerOptions } from 'socket.io';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { createOriginCheck, type OriginCheck } from '../handshake/origin-allowlist.js';
import { loadSocketParser } from './socket-parser.js';

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
