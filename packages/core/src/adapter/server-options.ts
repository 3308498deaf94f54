import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'socket.io';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { createOriginCheck } from './origin-allowlist.js';

type AllowRequest = NonNullable<ServerOptions['allowRequest']>;

/** Options a gateway decorator may set for the Socket.IO server it creates. */
export type GatewayServerOptions = Partial<ServerOptions> & { allowRequestsWithoutOrigin?: boolean };

/** The Socket.IO server options the module's options stand for. */
export function moduleServerOptions(options: ResolvedRealtimeOptions): GatewayServerOptions {
  return {
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
): Partial<ServerOptions> {
  const { allowRequestsWithoutOrigin = true, ...merged } = { ...moduleOptions, ...explicitOptions(gatewayOptions) };
  const originCheck = createOriginCheck(merged.cors, allowRequestsWithoutOrigin);
  if (!originCheck) return merged;
  return { ...merged, allowRequest: withOriginCheck(originCheck, merged.allowRequest) };
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
