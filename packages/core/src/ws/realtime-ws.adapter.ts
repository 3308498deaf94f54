import { randomBytes } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type Server as HttpServer, createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { setAuthenticated, type Authenticated } from '../connection/identity.js';
import { connectionOf, registerConnection } from '../connection/connection-registry.js';
import { cookieOriginWarning, createOriginCheck } from '../handshake/origin-allowlist.js';
import { browserRequestCheck, type RequestCheck } from '../handshake/request-checks.js';
import { refusalStatus, type HandshakeRefusal } from '../handshake/handshake-refusal.js';
import { REALTIME_ADAPTER } from '../transport/adapter-check.js';
import { findRealtimeRuntime, missingModuleError, type RealtimeRuntime } from '../transport/realtime-runtime.js';
import type { NativeWsGatewayAdapter } from '../transport/native-ws-gateway-adapter.js';
import { applyErrorContractToGateways } from '../errors/apply-error-contract.js';
import { RealtimeException } from '../errors/realtime.exception.js';
import type { NativeWsClient } from '../connection/client-transport.js';
import { clientIp } from '../proxy/trust-proxy.js';
import { AUTH_REFRESH_EVENT, PING_EVENT } from '../protocol/index.js';
import { chooseProtocol, retainedHandshake, upgradeHandshake, type UpgradeHandshake } from './upgrade-handshake.js';
import { WsConnection, type ServedWsClient } from './ws-connection.js';
import { parseFrame, type WsMessageParser } from './ws-frame.js';
import { WsHeartbeat } from './ws-heartbeat.js';

/** Options of a native gateway's `@WebSocketGateway({ ... })`, besides those of the `ws` server. */
export interface NativeWsGatewayOptions {
  /** The URL path clients connect to. @default '/' (as with Nest's `WsAdapter`) */
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
   * Turns a frame into `{ event, data }`, as with Nest's `WsAdapter`. A parser that returns
   * nothing drops the frame (it still draws on the rate limit); one that throws, or returns no
   * `event`, gets the client a `BAD_REQUEST` error.
   * @default JSON
   */
  messageParser?: WsMessageParser;
}

type Client = WebSocket & ServedWsClient;
/** `anyPath`: a gateway without a `path` on its own port, which Nest's `WsAdapter` serves on every path. */
type PathServer = WebSocketServer & { path: string; anyPath?: boolean };
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Nest's native WebSocket adapter (`@nestjs/platform-ws`), driven by `RealtimeModule` options and
 * served by the library's pipelines: `maxHttpBufferSize` as `maxPayload`, the `cors.origin`
 * allowlist and handshake `auth` checked on the HTTP upgrade (a refusal is an HTTP status with a
 * JSON body before any WebSocket opens), `WsJwtGuard` / `@WsAuthUser()` / the error contract as
 * `{ event: 'exception', data }` frames, the token lifetime flow, and `RealtimeService.toUser()`.
 * A gateway without a `path` is served on `/`, as Nest's `WsAdapter` serves it.
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
  private readonly foundRuntime?: RealtimeRuntime;
  private checkRequest?: RequestCheck;
  private leavesOtherUpgrades = false;
  // Shared by every client (`this` is the client): an idle connection costs no closures.
  private readonly onMessage: (this: Client, raw: RawData) => void;
  private readonly onClose: (this: Client) => void;
  private readonly onPong: (this: Client) => void;
  private heartbeat?: WsHeartbeat<Client>;
  // Nest's default JSON parser, to tell it from the app's own (given here or by `setMessageParser()`).
  private readonly jsonParser: unknown;
  // One object for every connection, which passes itself: no closures per connection.
  private readonly connectionHooks: ConstructorParameters<typeof WsConnection>[3];

  constructor(app: INestApplicationContext, options: RealtimeWsAdapterOptions = {}) {
    // Nest's parser field, so `setMessageParser()` works as on `WsAdapter` (JSON by default).
    super(app, options.messageParser ? { messageParser: options.messageParser as never } : undefined);
    this.jsonParser = options.messageParser ? undefined : this.messageParser;
    this.foundRuntime = findRealtimeRuntime(app);
    // Gateways are instantiated by now but not yet wired: the last moment to give them the contract.
    if (this.foundRuntime?.options.applyErrorContract) applyErrorContractToGateways(app);
    const adapter = this;
    this.onMessage = function (raw) {
      const connection = connectionOf(this);
      if (connection) adapter.receive(connection as WsConnection, raw);
    };
    this.connectionHooks = {
      unbind: ({ client }) => {
        client.off('message', adapter.onMessage as never);
        client.off('close', adapter.onClose as never);
        client.off('pong', adapter.onPong as never);
      },
      forget: (connection) => {
        adapter.heartbeat?.settle(connection.client as Client);
        adapter.runtime.nativeClients.remove(connection.client, connection.user?.id);
      },
    };
    this.onPong = function () {
      adapter.heartbeat?.settle(this);
    };
    this.onClose = function (...closeArgs: unknown[]) {
      const messages = adapter.runtime.messages;
      connectionOf(this)?.close((what, error) => messages.logError(`${what} failed on close`, error), ...closeArgs);
    };
  }

  /** Leaves upgrade requests on other paths alone: the Socket.IO server on the same HTTP server takes them. */
  shareHttpServer(): void {
    this.leavesOtherUpgrades = true;
  }

  private get runtime(): RealtimeRuntime {
    if (!this.foundRuntime) throw missingModuleError(RealtimeWsAdapter.name);
    return this.foundRuntime;
  }

  /** JSONP and the origin allowlist, built by the first gateway (which logs the cookie warning, at boot). */
  private requestCheck(): RequestCheck {
    if (this.checkRequest) return this.checkRequest;
    const { auth, cors, allowRequestsWithoutOrigin } = this.runtime.options;
    this.checkRequest = browserRequestCheck(createOriginCheck(cors, allowRequestsWithoutOrigin));
    const warning = cookieOriginWarning(auth?.tokenSources, cors, 'Native WebSocket gateways accept tokens from cookies but the app', 'a WebSocket');
    if (warning) this.realtimeLogger.warn(warning);
    return this.checkRequest;
  }

  override create(port: number, options: NativeWsGatewayOptions & { namespace?: unknown; server?: unknown } = {}): PathServer {
    const { namespace, transport: _transport, public: isPublic, path, ...wsOptions } = options;
    if (namespace !== undefined) {
      throw new Error(`Native WebSocket gateways have no namespaces (got "${String(namespace)}"): give the gateway its own path instead.`);
    }
    const gatewayPath = normalizePath(path ?? '/');
    if (isPublic === true) this.runtime.handshake.markPublic('ws', gatewayPath);
    this.runtime.nativeClients.listenToOtherInstances();
    this.requestCheck();
    this.startHeartbeat();
    // Always through a path, so every upgrade comes to `upgrade()` (Nest would give a pathless
    // gateway on its own port a `ws` server of its own, which answers upgrades unauthenticated).
    const server = super.create(port, {
      maxPayload: this.runtime.options.maxHttpBufferSize,
      ...wsOptions,
      path: gatewayPath,
      handleProtocols: chooseProtocol,
    }) as PathServer;
    if (path === undefined && port !== 0) server.anyPath = true;
    this.runtime.servers.addNativeWsPath(gatewayPath);
    return server;
  }

  /** One heartbeat for every client of the instance, on the module's `pingInterval` and `pingTimeout` (as Socket.IO's). */
  private startHeartbeat(): void {
    if (this.heartbeat) return;
    const { options, nativeClients } = this.runtime;
    this.heartbeat = new WsHeartbeat(() => nativeClients.all() as Client[], options);
    this.heartbeat.start();
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

  /** The handshake pipeline's stages, on the upgrade request; a refusal is an HTTP response and no WebSocket. */
  private async upgrade(port: number, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'ws://localhost');
    } catch {
      return rejectUpgrade(socket, { code: 'BAD_REQUEST', message: 'Malformed request URL' });
    }
    const servers = this.wsServersRegistry.get(port) as PathServer[] | undefined;
    const server = servers?.find((s) => s.path === url.pathname) ?? servers?.find((s) => s.anyPath);
    if (!server) {
      if (!this.leavesOtherUpgrades) socket.destroy();
      return;
    }
    const { handshake, options } = this.runtime;
    // The client may hang up while its token is being verified (a shared listener: a closure
    // would keep the whole upgrade request alive as long as the connection).
    socket.on('error', destroySocket);
    const ip = clientIp(req, options.trustProxy);
    const refused = await handshake.admitRequest(req, ip, this.requestCheck(), 'ws');
    if (refused) return rejectUpgrade(socket, refused);
    const offer = upgradeHandshake(req, url, ip);
    const outcome = await handshake.authenticate({ credentials: offer, info: { ...offer, namespace: server.path }, transport: 'ws' });
    if ('refusal' in outcome) return rejectUpgrade(socket, outcome.refusal);
    socket.off('error', destroySocket);
    server.handleUpgrade(req, socket, head, (ws) => {
      handshake.holdSlot(ws, outcome.clusterSlot);
      this.accept(server, ws as Client, req, offer, outcome.authenticated);
    });
  }

  private accept(server: PathServer, client: Client, req: IncomingMessage, offer: UpgradeHandshake, authenticated?: Authenticated): void {
    client.id = connectionId();
    client.data = {};
    if (authenticated) setAuthenticated(client, authenticated);
    const clients = this.runtime.nativeClients;
    const connection = new WsConnection(client, server.path, retainedHandshake(offer), this.connectionHooks);
    registerConnection(connection);
    // Before Nest's listeners: the teardown runs before handleDisconnect.
    client.on('message', this.onMessage);
    client.on('close', this.onClose);
    client.on('pong', this.onPong);
    clients.add(client, authenticated?.user.id);
    if (!this.runtime.handshake.admitConnection(connection)) return;
    server.emit('connection', client, req);
  }

  // Nest logs each client's errors through a closure per client; one shared listener does the same.
  override bindErrorHandler(server: WebSocketServer): WebSocketServer {
    const logger = this.realtimeLogger;
    const logClientError = (error: unknown) => logger.error(error);
    server.on('connection', (client: WebSocket) => client.on('error', logClientError));
    server.on('error', logClientError);
    return server;
  }

  /** Nest's disconnect hook runs after the connection's teardown, from its one `close` listener. */
  override bindClientDisconnect(client: Client, callback: (...args: unknown[]) => unknown): void {
    const connection = connectionOf(client);
    if (connection) connection.afterClose(callback);
    else super.bindClientDisconnect(client, callback);
  }

  /** Nest's handlers for the client: the message pipeline runs them as frames arrive. */
  override bindMessageHandlers(client: Client, handlers: MessageMappingProperties[]): void {
    connectionOf(client)?.addHandlers(handlers);
  }

  /**
   * A frame: one that is not `{ event, data }` JSON gets `BAD_REQUEST`, an event with no handler
   * `NOT_FOUND` (a thin client has no other way to learn it misspelled one), one the app's parser
   * drops nothing; each passes the message gate like any other message, since it costs too.
   */
  private receive(connection: WsConnection, raw: RawData): void {
    const { messages } = this.runtime;
    const parser = this.messageParser as WsMessageParser;
    const frame = parseFrame(raw, parser, parser !== this.jsonParser);
    if (frame === undefined) return messages.drop(connection);
    if (frame instanceof RealtimeException) return messages.refuse(connection, frame);
    const ack = isLibraryRequest(frame.event) ? connection.frameAnswer(frame.event) : undefined;
    messages.receive(connection, frame.event, frame.data, ack);
  }

  override async dispose(): Promise<void> {
    this.heartbeat?.stop();
    for (const [httpServer, listener] of this.upgradeListeners) httpServer.off('upgrade', listener);
    this.upgradeListeners.clear();
    await this.foundRuntime?.nativeClients.close();
    await super.dispose();
  }
}

/** 22 URL-safe characters (128 random bits), one flat string. */
function connectionId(): string {
  return randomBytes(16).toString('base64url');
}

/** The library's own requests, which a native client gets answered with a frame named like them. */
function isLibraryRequest(event: string): boolean {
  return event === AUTH_REFRESH_EVENT || event === PING_EVENT;
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

function normalizePath(path: string): string {
  return `/${path.replace(/^\/+/, '').replace(/\/+$/, '')}`;
}

/** Refuses an upgrade with an HTTP response: no WebSocket is ever opened. */
function rejectUpgrade(socket: Duplex, refusal: HandshakeRefusal): void {
  if (!socket.writable) return void socket.destroy();
  const json = JSON.stringify(refusal);
  const status = refusalStatus(refusal);
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
  );
}

export type { NativeWsClient };
