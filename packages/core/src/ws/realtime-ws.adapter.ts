import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type Server as HttpServer, createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable, Subscription } from 'rxjs';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { AuthFailure } from '../auth/auth-failure.js';
import { setAuthenticated, type Authenticated } from '../auth/socket-auth-state.js';
import { TokenLifetime } from '../auth/token-lifetime.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import { cookieOriginRisk, createOriginCheck } from '../adapter/origin-allowlist.js';
import { browserRequestCheck, type RequestCheck } from '../adapter/server-options.js';
import { REALTIME_ADAPTER } from '../adapter/adapter-check.js';
import { MessageGate } from '../pipeline/message-gate.js';
import { clientIp } from '../proxy/trust-proxy.js';
import { unknownEventError } from '../pipeline/unknown-event.js';
import { findRealtimeOptions, missingModuleError } from '../adapter/module-options-of.js';
import { applyErrorContractToGateways } from '../errors/apply-error-contract.js';
import { deliverError } from '../errors/deliver-error.js';
import { RealtimeException } from '../errors/realtime.exception.js';
import { reportError } from '../errors/report-error.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import type { NativeWsGatewayAdapter } from '../adapter/native-ws-gateway-adapter.js';
import { emitToClient, type NativeWsClient } from '../connection/client-transport.js';
import { RealtimeConnectionLimits, tooManyConnectionsError } from '../limits/realtime-connection-limits.js';
import { NativeWsClients } from './native-ws-clients.js';
import { UpgradeAuth, upgradeHandshake, type UpgradeHandshake } from './upgrade-auth.js';
import { WsConnection, type ServedWsClient } from './ws-connection.js';
import { jsonFrameParser, parseFrame, type WsFrame, type WsMessageParser } from './ws-frame.js';
import { RealtimeServers } from '../service/realtime-servers.js';
import { WS_CLOSE_TOO_MANY_CONNECTIONS, TOO_MANY_CONNECTIONS, DISCONNECTED_EVENT, WS_TOKEN_PROTOCOL } from '../protocol/index.js';

/** Options of a native gateway's `@WebSocketGateway({ ... })`, besides those of the `ws` server. */
export interface NativeWsGatewayOptions {
  /** The URL path clients connect to. @default the module's `path` */
  path?: string;
  /** Makes a token optional on this gateway (see `auth`). */
  public?: boolean;
  /** `'ws'` routes the gateway to the native adapter when it serves beside `RealtimeIoAdapter`. */
  transport?: 'ws';
  [wsServerOption: string]: unknown;
}

/** Options of `new RealtimeWsAdapter(app, options)`. */
export interface RealtimeWsAdapterOptions {
  /**
   * Turns a frame into `{ event, data }`, as with Nest's `WsAdapter`. A parser that throws or
   * returns no `event` gets the client a `BAD_REQUEST` error.
   * @default JSON
   */
  messageParser?: WsMessageParser;
}

type Client = WebSocket & ServedWsClient;
type PathServer = WebSocketServer & { path: string };
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Nest's native WebSocket adapter (`@nestjs/platform-ws`), driven by `RealtimeModule` options:
 * the module's `path` (a gateway's own `path` wins), `maxHttpBufferSize` as `maxPayload`, the
 * `cors.origin` allowlist and handshake `auth` checked on the HTTP upgrade (a refusal is an HTTP
 * 401 with a JSON body before any WebSocket opens), `WsJwtGuard` / `@WsAuthUser()` / the error
 * contract as `{ event: 'exception', data }` frames, the token lifetime flow, and
 * `RealtimeService.toUser()`.
 *
 * ```ts
 * app.useWebSocketAdapter(new RealtimeWsAdapter(app));                                  // native gateways only
 * app.useWebSocketAdapter(new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) })); // beside Socket.IO
 * ```
 */
export class RealtimeWsAdapter extends WsAdapter implements NativeWsGatewayAdapter {
  /** Tells `RealtimeAdapterCheck` the module's gateways are served by the library. */
  readonly [REALTIME_ADAPTER] = true;
  private readonly realtimeLogger = new Logger(RealtimeWsAdapter.name);
  private readonly upgradeListeners = new Map<HttpServer, UpgradeListener>();
  private readonly connections = new WeakMap<Client, WsConnection>();
  private readonly frameParser: WsMessageParser;
  private resolvedOptions?: ResolvedRealtimeOptions;
  private security?: { auth?: UpgradeAuth; lifetime?: TokenLifetime; requestCheck: RequestCheck };
  private leavesOtherUpgrades = false;
  private providers?: RealtimeWsAdapter['services'];

  constructor(
    private readonly app: INestApplicationContext,
    options: RealtimeWsAdapterOptions = {},
  ) {
    super(app);
    this.frameParser = options.messageParser ?? jsonFrameParser;
    // Gateways are instantiated by now but not yet wired: the last moment to give them the contract.
    if (findRealtimeOptions(app)?.applyErrorContract) applyErrorContractToGateways(app);
  }

  /** Leaves upgrade requests on other paths alone: the Socket.IO server on the same HTTP server takes them. */
  shareHttpServer(): void {
    this.leavesOtherUpgrades = true;
  }

  private get options(): ResolvedRealtimeOptions {
    this.resolvedOptions ??= findRealtimeOptions(this.app);
    if (!this.resolvedOptions) throw missingModuleError(RealtimeWsAdapter.name);
    return this.resolvedOptions;
  }

  /** The module's providers this adapter works with, looked up once (upgrades are a hot path). */
  private get services(): { clients: NativeWsClients; limits: RealtimeConnectionLimits; servers: RealtimeServers; gate: MessageGate } {
    this.providers ??= {
      clients: this.app.get(NativeWsClients, { strict: false }),
      limits: this.app.get(RealtimeConnectionLimits, { strict: false }),
      servers: this.app.get(RealtimeServers, { strict: false }),
      gate: this.app.get(MessageGate, { strict: false }),
    };
    return this.providers;
  }

  private get limits(): RealtimeConnectionLimits {
    return this.services.limits;
  }

  private get clients(): NativeWsClients {
    return this.services.clients;
  }

  private get checks(): NonNullable<RealtimeWsAdapter['security']> {
    if (this.security) return this.security;
    const { auth, cors, allowRequestsWithoutOrigin } = this.options;
    const verifier = auth ? new TokenVerifier(auth) : undefined;
    const gate = this.services.gate;
    this.security = {
      auth: auth && verifier ? new UpgradeAuth(auth, verifier) : undefined,
      lifetime:
        auth && verifier
          ? new TokenLifetime(verifier, auth, (connection, event, data, ack, handle) =>
              gate.admit((connection as WsConnection).client, connection.nsp.name, event, data, ack, handle),
            )
          : undefined,
      requestCheck: browserRequestCheck(createOriginCheck(cors, allowRequestsWithoutOrigin)),
    };
    const risk = auth?.tokenSources.includes('cookie') ? cookieOriginRisk(cors) : undefined;
    if (risk) {
      this.realtimeLogger.warn(
        `Native WebSocket gateways accept tokens from cookies but the app ${risk}: ` +
          'any website can open a WebSocket with your users\' cookies. Set cors.origin to an allowlist of your origins, or drop "cookie" from auth.tokenSources.',
      );
    }
    return this.security;
  }

  override create(port: number, options: NativeWsGatewayOptions & { namespace?: unknown; server?: unknown } = {}): PathServer {
    const { namespace, transport: _transport, public: isPublic, path, ...wsOptions } = options;
    if (namespace !== undefined) {
      throw new Error(`Native WebSocket gateways have no namespaces (got "${String(namespace)}"): give the gateway its own path instead.`);
    }
    const gatewayPath = normalizePath(path ?? this.options.path);
    if (isPublic === true) this.checks.auth?.markPublic(gatewayPath);
    this.clients.listenToOtherInstances();
    return super.create(port, {
      maxPayload: this.options.maxHttpBufferSize,
      ...wsOptions,
      path: gatewayPath,
      handleProtocols: chooseProtocol,
    }) as PathServer;
  }

  // Nest's listener answers every upgrade itself; this one authenticates first and can share the HTTP server.
  protected override ensureHttpServerExists(port: number, httpServer: HttpServer = createServer()): HttpServer | undefined {
    if (this.httpServersRegistry.has(port)) return undefined;
    this.httpServersRegistry.set(port, httpServer);
    const listener: UpgradeListener = (req, socket, head) => void this.upgrade(port, req, socket, head);
    httpServer.on('upgrade', listener);
    this.upgradeListeners.set(httpServer, listener);
    return httpServer;
  }

  private async upgrade(port: number, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'ws://localhost');
    } catch {
      return rejectUpgrade(socket, 400, { code: 'BAD_REQUEST', message: 'Malformed request URL' });
    }
    const server = (this.wsServersRegistry.get(port) as PathServer[] | undefined)?.find((s) => s.path === url.pathname);
    if (!server) {
      if (!this.leavesOtherUpgrades) socket.destroy();
      return;
    }
    if (this.services.servers.draining) {
      return rejectUpgrade(socket, 503, { code: 'UNAVAILABLE', message: 'Server is shutting down' });
    }
    const ip = clientIp(req, this.options.trustProxy);
    if (!this.limits.admitHandshake(ip)) {
      return rejectUpgrade(socket, 429, { code: 'RATE_LIMITED', message: 'Too many connection attempts' });
    }
    // The client may hang up while its token is being verified.
    socket.on('error', () => socket.destroy());
    const { auth, requestCheck } = this.checks;
    try {
      const refusal = await requestCheck(req);
      if (refusal !== undefined) return rejectUpgrade(socket, 403, { code: 'FORBIDDEN', message: refusal });
      const handshake = upgradeHandshake(req, url, ip);
      const authenticated = auth ? await auth.authenticate(handshake, server.path) : undefined;
      if (authenticated && !this.limits.wouldAdmitUser(String(authenticated.user.id))) {
        const { message, data } = tooManyConnectionsError();
        return rejectUpgrade(socket, 403, { ...data, message });
      }
      server.handleUpgrade(req, socket, head, (ws) => this.accept(server, ws as Client, req, handshake, authenticated));
    } catch (error) {
      const failure = error instanceof AuthFailure ? error : new AuthFailure('invalid_token', 'Invalid token');
      if (!(error instanceof AuthFailure)) this.realtimeLogger.error('Native WebSocket upgrade failed', (error as Error)?.stack);
      rejectUpgrade(socket, 401, { code: 'UNAUTHENTICATED', reason: failure.reason, message: failure.message });
    }
  }

  private accept(server: PathServer, client: Client, req: IncomingMessage, handshake: UpgradeHandshake, authenticated?: Authenticated): void {
    client.id = randomUUID();
    client.data = {};
    if (authenticated) setAuthenticated(client, authenticated);
    if (authenticated && this.limits.limitsConnections) {
      const evict = (reason: string) => {
        emitToClient(client, DISCONNECTED_EVENT, { reason });
        client.close(WS_CLOSE_TOO_MANY_CONNECTIONS, reason);
      };
      // Checked again now: another upgrade of the same user may have taken the last slot while this one's token was verified.
      if (!this.limits.admitUser(String(authenticated.user.id), { onClose: (listener) => client.once('close', listener), evict })) {
        return evict(TOO_MANY_CONNECTIONS);
      }
    }
    this.clients.add(client, authenticated?.user.id);
    const connection = new WsConnection(client, handshake, server.path);
    this.connections.set(client, connection);
    this.checks.lifetime?.track(connection);
    server.emit('connection', client, req);
  }

  /**
   * One `message` listener per client. A frame that is not `{ event, data }` JSON gets
   * `BAD_REQUEST`, an event with no handler `NOT_FOUND` (a thin client has no other way to learn
   * it misspelled one); a handler's responses are sent as JSON, and streams stop on close.
   */
  override bindMessageHandlers(
    client: Client,
    handlers: MessageMappingProperties[],
    transform: (result: unknown) => Observable<unknown>,
  ): void {
    const byEvent = new Map(handlers.map((handler) => [String(handler.message), handler]));
    const running = new Set<Subscription>();
    client.on('message', (raw: RawData) => this.onFrame(client, raw, byEvent, transform, running));
    client.once('close', () => {
      for (const subscription of running) subscription.unsubscribe();
      running.clear();
    });
  }

  /**
   * Every frame passes the message gate (rate limit, payload limits) before it is answered,
   * malformed ones and unknown events included: answering them costs too. `auth:refresh` is
   * gated by the token lifetime flow itself.
   */
  private onFrame(
    client: Client,
    raw: RawData,
    byEvent: Map<string, MessageMappingProperties>,
    transform: (result: unknown) => Observable<unknown>,
    running: Set<Subscription>,
  ): void {
    const connection = this.connections.get(client);
    if (!connection) return;
    const gate = this.services.gate;
    const scope = connection.nsp.name;
    const frame = parseFrame(raw, this.frameParser);
    if (frame instanceof RealtimeException) {
      return gate.admit(client, scope, undefined, undefined, undefined, () => deliverError(client, reportError(frame, 'message', client.id)));
    }
    if (connection.receive(frame.event, frame.data)) return;
    const handler = byEvent.get(frame.event);
    gate.admit(client, scope, frame.event, frame.data, undefined, () => {
      if (handler) return this.run(client, handler, frame, transform, running);
      deliverError(client, reportError(unknownEventError(frame.event), frame.event, client.id));
    });
  }

  private run(
    client: Client,
    handler: MessageMappingProperties,
    frame: WsFrame,
    transform: (result: unknown) => Observable<unknown>,
    running: Set<Subscription>,
  ): void {
    let subscription: Subscription | undefined;
    try {
      subscription = transform(handler.callback(frame.data, frame.event)).subscribe({
        next: (response) => this.respond(client, response),
        // Errors reach here only when a gateway's own filter rethrows: an app bug, logged.
        error: (error: unknown) => this.realtimeLogger.error(error),
        complete: () => subscription && running.delete(subscription),
      });
    } catch (error) {
      this.realtimeLogger.error(error);
      return;
    }
    if (!subscription.closed) running.add(subscription);
  }

  private respond(client: Client, response: unknown): void {
    if (response === undefined || response === null || client.readyState !== client.OPEN) return;
    try {
      client.send(JSON.stringify(response));
    } catch (error) {
      this.realtimeLogger.error(`Response to native client ${client.id} is not JSON-serializable`, (error as Error)?.stack);
    }
  }

  override async dispose(): Promise<void> {
    for (const [httpServer, listener] of this.upgradeListeners) httpServer.off('upgrade', listener);
    this.upgradeListeners.clear();
    await this.clients.close();
    await super.dispose();
  }
}

/** Answers `bearer` when the token came as a subprotocol (never the token itself), else the first offered. */
function chooseProtocol(protocols: Set<string>): string | false {
  if (protocols.has(WS_TOKEN_PROTOCOL)) return WS_TOKEN_PROTOCOL;
  const [first] = protocols;
  return first ?? false;
}

function normalizePath(path: string): string {
  return `/${path.replace(/^\/+/, '').replace(/\/+$/, '')}`;
}

/** Refuses an upgrade with an HTTP response: no WebSocket is ever opened. */
function rejectUpgrade(socket: Duplex, status: number, body: Record<string, unknown>): void {
  if (!socket.writable) return void socket.destroy();
  const json = JSON.stringify(body);
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
  );
}

export type { NativeWsClient };
