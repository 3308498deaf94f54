import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Namespace, Server, ServerOptions, Socket } from 'socket.io';
import { applyErrorContractToGateways } from '../errors/apply-error-contract.js';
import { clientIp } from '../proxy/trust-proxy.js';
import { isNativeWsClient } from '../connection/client-transport.js';
import { connectionOf } from '../connection/connection-registry.js';
import { cookieOriginWarning } from '../handshake/origin-allowlist.js';
import { browserRequestCheck, sessionRequestGuard } from '../handshake/request-checks.js';
import { REALTIME_ADAPTER } from '../transport/adapter-check.js';
import type { NativeWsGatewayAdapter } from '../transport/native-ws-gateway-adapter.js';
import { findRealtimeRuntime, missingModuleError, type RealtimeRuntime } from '../transport/realtime-runtime.js';
import { closeIoServer } from './close-io-server.js';
import { ADMISSION_FAILED } from '../handshake/handshake-refusal.js';
import { logSafe } from '../logging/log-safe.js';
import { explicitOptions, mergeServerOptions, moduleServerOptions, type GatewayServerOptions } from './server-options.js';
import { onEveryNamespace, type EveryNamespace } from './every-namespace.js';
import { admitNamespaceSocket } from './namespace-admission.js';
import { holdMissedPackets } from './session-recovery.js';
import { SocketIoTransport } from './socket-io-transport.js';

type CreateOptions = GatewayServerOptions & { namespace?: string | RegExp; server?: Server; transport?: 'socket.io' | 'ws' };

/** Options of `new RealtimeIoAdapter(app, options)`. */
export interface RealtimeIoAdapterOptions {
  /**
   * Serves gateways declared with `@WebSocketGateway({ transport: 'ws', path })` as native
   * WebSocket gateways on the same HTTP server: `new RealtimeWsAdapter(app)` from
   * `@nestjs-realtime/core/ws`. Nest installs one adapter per app; this is how both transports share it.
   * @default undefined (a `transport: 'ws'` gateway fails the boot)
   */
  nativeWs?: NativeWsGatewayAdapter;
}

/**
 * Nest's Socket.IO adapter, driven by `RealtimeModule` options. Install it once in `main.ts`:
 *
 * ```ts
 * app.useWebSocketAdapter(new RealtimeIoAdapter(app));
 * ```
 *
 * With `{ nativeWs: new RealtimeWsAdapter(app) }` it also serves native WebSocket gateways
 * (`@WebSocketGateway({ transport: 'ws', path: '/ws' })`) on their own paths.
 *
 * Every Socket.IO server a gateway creates gets the module's server options; an option the
 * gateway's `@WebSocketGateway({ ... })` sets explicitly wins for that server. Gateways on the
 * same port and path share one server (Socket.IO options are per server, not per namespace), so
 * only the first of them decides its options; a conflicting later one is logged at boot.
 */
export class RealtimeIoAdapter extends IoAdapter {
  /** Tells `RealtimeAdapterCheck` the module's gateways are served by the library. */
  readonly [REALTIME_ADAPTER] = true;
  private readonly realtimeLogger = new Logger(RealtimeIoAdapter.name);
  private readonly openServers = new Set<Server>();
  private readonly gatewayOptionsOf = new WeakMap<Server, GatewayServerOptions>();
  private readonly namespacesOf = new WeakMap<Server, EveryNamespace>();
  private readonly nativeWsServers = new Set<unknown>();
  private readonly foundRuntime?: RealtimeRuntime;
  private socketIo?: SocketIoTransport;

  constructor(
    app: INestApplicationContext,
    private readonly adapterOptions: RealtimeIoAdapterOptions = {},
  ) {
    super(app);
    adapterOptions.nativeWs?.shareHttpServer();
    this.foundRuntime = findRealtimeRuntime(app);
    // Gateways are instantiated by now but not yet wired: the last moment to give them the contract.
    if (this.foundRuntime?.options.applyErrorContract) applyErrorContractToGateways(app);
  }

  /** The validated module options. */
  protected get options(): RealtimeRuntime['options'] {
    return this.runtime.options;
  }

  /** The module's collaborators, injected by Nest (see `RealtimeRuntime`). */
  protected get runtime(): RealtimeRuntime {
    if (!this.foundRuntime) throw missingModuleError(RealtimeIoAdapter.name);
    return this.foundRuntime;
  }

  private get transport(): SocketIoTransport {
    const { handshake, messages, options } = this.runtime;
    return (this.socketIo ??= new SocketIoTransport(handshake, messages, options.userRoomPrefix));
  }

  override create(port: number, options?: CreateOptions): Server | Namespace {
    if (options?.transport === 'ws') return this.createNativeWsServer(port, options);
    const { namespace, server, transport: _socketIo, ...gatewayOptions } = options ?? {};
    // Nest passes a gateway's namespace only on its second call (the first creates the server),
    // so `public` works for namespaced gateways; the main namespace uses auth.publicNamespaces.
    if (gatewayOptions.public === true && namespace !== undefined) this.runtime.handshake.markPublic('socket.io', namespace);
    if (server && namespace !== undefined) {
      this.warnOnIgnoredOptions(server, gatewayOptions, namespace);
      return this.namespaceOf(server, namespace);
    }
    const io = this.createIOServer(port, gatewayOptions);
    this.gatewayOptionsOf.set(io, explicitOptions(gatewayOptions));
    return namespace !== undefined ? this.namespaceOf(io, namespace) : io;
  }

  /** The gateway's namespace; a dynamic one is set up now, before Nest listens to it (see `adoptParent`). */
  private namespaceOf(io: Server, namespace: string | RegExp): Namespace {
    const nsp = io.of(namespace);
    if (typeof namespace !== 'string') this.namespacesOf.get(io)?.adoptParent(nsp, String(namespace));
    return nsp;
  }

  override createIOServer(port: number, gatewayOptions: GatewayServerOptions = {}): Server {
    const { options, servers, handshake, redis, telemetry } = this.runtime;
    const adapter = redis.redis?.adapter;
    const { serverOptions, originCheck } = mergeServerOptions(
      { ...moduleServerOptions(options), ...(adapter ? { adapter } : {}) },
      gatewayOptions,
    );
    const check = browserRequestCheck(originCheck);
    const gatewayAllowRequest = serverOptions.allowRequest;
    // Stage 1 of the handshake pipeline, when an Engine.IO session opens; then the gateway's own check.
    const allowRequest: NonNullable<ServerOptions['allowRequest']> = (req, callback) => {
      handshake.admitRequest(req, clientIp(req, options.trustProxy), check, 'socket.io').then(
        (refusal) => {
          if (refusal) return callback(refusal.message, false);
          if (gatewayAllowRequest) return gatewayAllowRequest(req, callback);
          callback(null, true);
        },
        (error: unknown) => {
          this.realtimeLogger.error(`Handshake admission failed: ${logSafe(error instanceof Error ? (error.stack ?? error.message) : error, 2000)}`);
          callback(ADMISSION_FAILED.message, false);
        },
      );
    };
    const io: Server = super.createIOServer(port, { ...serverOptions, allowRequest } as ServerOptions);
    // Without an allowlist there is nothing to hold an open session's requests to: a JSONP session
    // cannot be opened, and Engine.IO answers a JSONP-shaped request of another session as usual.
    if (originCheck) io.engine.use(sessionRequestGuard(check));
    this.openServers.add(io);
    servers.add(io);
    const transport = this.transport;
    const namespaces = onEveryNamespace(io, {
      listeners: (namespace) => {
        admitNamespaceSocket(namespace, options.trustProxy, handshake);
        transport.install(namespace);
      },
      // Each namespace's own Socket.IO adapter: its sessions and its broadcasts.
      own: (namespace, parentLabel) => {
        holdMissedPackets(namespace);
        telemetry?.observeNamespace(namespace, parentLabel);
      },
    });
    this.namespacesOf.set(io, namespaces);
    const warning = cookieOriginWarning(
      options.auth?.tokenSources,
      serverOptions.cors,
      `Socket.IO server on path ${serverOptions.path} accepts tokens from cookies but`,
      'a connection',
    );
    if (warning) this.realtimeLogger.warn(warning);
    return io;
  }

  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[], transform: (result: unknown) => never): void {
    if (isNativeWsClient(socket)) return this.adapterOptions.nativeWs?.bindMessageHandlers(socket, handlers, transform);
    this.transport.bindMessageHandlers(socket, handlers);
  }

  override bindClientConnect(server: unknown, callback: (...args: unknown[]) => unknown): void {
    if (this.nativeWsServers.has(server)) return this.adapterOptions.nativeWs?.bindClientConnect(server, callback);
    super.bindClientConnect(server, callback);
  }

  override bindClientDisconnect(client: Socket, callback: (...args: unknown[]) => unknown): void {
    if (isNativeWsClient(client)) return this.adapterOptions.nativeWs?.bindClientDisconnect(client, callback);
    // After the connection's teardown, from its one disconnect listener.
    const connection = connectionOf(client);
    if (connection) connection.afterClose(callback);
    else super.bindClientDisconnect(client, callback);
  }

  private createNativeWsServer(port: number, options: CreateOptions): Server {
    const nativeWs = this.adapterOptions.nativeWs;
    const path = options.path ?? '(no path)';
    if (!nativeWs) {
      throw new Error(
        `A gateway declares transport: 'ws' (path ${path}) but RealtimeIoAdapter has no native WebSocket adapter: ` +
          'use new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) with RealtimeWsAdapter from @nestjs-realtime/core/ws.',
      );
    }
    const socketIoPath = this.runtime.options.path;
    if (!options.path || options.path === socketIoPath || options.path.startsWith(`${socketIoPath}/`)) {
      throw new Error(
        `A native WebSocket gateway beside Socket.IO needs its own path, outside the Socket.IO path ${socketIoPath} (got ${path}): ` +
          "e.g. @WebSocketGateway({ transport: 'ws', path: '/ws' }).",
      );
    }
    const server = nativeWs.create(port, options);
    this.nativeWsServers.add(server);
    // Nest's typings want a Socket.IO server; Nest itself only hands it back to this adapter.
    return server as Server;
  }

  /** Closes what this adapter opened; resolves without waiting for clients to disconnect. */
  override async close(server: Server | Namespace): Promise<void> {
    if (this.nativeWsServers.delete(server)) return this.adapterOptions.nativeWs?.close(server);
    // Nest also hands over each namespace; those close with their server.
    const io = server as Server;
    if (!this.openServers.delete(io)) return;
    this.runtime.servers.delete(io);
    await closeIoServer(io, { keepHttpServer: this.httpServer !== undefined && io.httpServer === this.httpServer });
  }

  override async dispose(): Promise<void> {
    await Promise.all([...this.openServers].map((io) => this.close(io)));
    await this.adapterOptions.nativeWs?.dispose();
  }

  private warnOnIgnoredOptions(io: Server, gatewayOptions: GatewayServerOptions, namespace: string | RegExp): void {
    const first = this.gatewayOptionsOf.get(io) ?? {};
    const ignored = Object.entries(explicitOptions(gatewayOptions)).filter(
      ([key, value]) => key !== 'path' && key !== 'public' && !sameOption(first[key as keyof GatewayServerOptions], value),
    );
    if (ignored.length === 0) return;
    this.realtimeLogger.warn(
      `Gateway of namespace "${String(namespace)}" shares a Socket.IO server with an earlier gateway; ` +
        `its options ${ignored.map(([key]) => key).join(', ')} are ignored. Give it its own port or path to apply them.`,
    );
  }
}

function sameOption(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}
