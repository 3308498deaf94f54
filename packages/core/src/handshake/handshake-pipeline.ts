import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { HandshakeInfo } from '../options/auth-options.interface.js';
import { AuthFailure } from '../auth/auth-failure.js';
import { extractToken, type HandshakeLike } from '../auth/extract-token.js';
import { TokenLifetime } from '../auth/token-lifetime.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import type { Authenticated } from '../connection/identity.js';
import type { RealtimeConnection, ConnectionTransport } from '../connection/realtime-connection.js';
import { RealtimeException } from '../errors/realtime.exception.js';
import type { ClusterSlot } from '../limits/cluster-connection-slots.js';
import { checkPayloadShape } from '../limits/payload-shape.js';
import { RealtimeConnectionLimits } from '../limits/realtime-connection-limits.js';
import { logSafe } from '../logging/log-safe.js';
import { RealtimeTelemetry } from '../observability/realtime-telemetry.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { DISCONNECTED_EVENT, HANDSHAKE_AUTH_TOO_LARGE, namespaceName, TOO_MANY_CONNECTIONS, WS_CLOSE_TOO_MANY_CONNECTIONS } from '../protocol/index.js';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import { RealtimeServers } from '../service/realtime-servers.js';
import { refusalOf, type HandshakeRefusal } from './handshake-refusal.js';
import type { RequestCheck } from './request-checks.js';

/** A user at `limits.maxConnectionsPerUser` with `overConnectionLimit: 'refuse-new'`. */
const TOO_MANY_CONNECTIONS_REFUSAL: HandshakeRefusal = { code: 'FORBIDDEN', message: 'Too many connections for this user', reason: TOO_MANY_CONNECTIONS };
const SHUTTING_DOWN_REFUSAL: HandshakeRefusal = { code: 'UNAVAILABLE', message: 'Server is shutting down' };
const TOO_MANY_HANDSHAKES_REFUSAL: HandshakeRefusal = { code: 'RATE_LIMITED', message: 'Too many connection attempts' };

/** Which transport a handshake came through: public gateways are declared per transport. */
export type HandshakeTransport = ConnectionTransport;

/** Stage 2's answer: the identity (none for an anonymous client) and the user's slot across instances, or the refusal. */
export type HandshakeOutcome = { authenticated?: Authenticated; clusterSlot?: ClusterSlot } | { refusal: HandshakeRefusal };

/** What a handshake offers to authenticate with, as either transport received it. */
export interface HandshakeOffer {
  /** Token sources, read in `auth.tokenSources` order (`auth` is Socket.IO's `handshake.auth`, a native client's subprotocol token). */
  credentials: HandshakeLike;
  info: HandshakeInfo;
  transport: HandshakeTransport;
}

/**
 * The handshake, one component for both transports; each maps a refusal to its own framing
 * (Socket.IO: `connect_error { code, reason }`, native: an HTTP status and JSON body before the
 * upgrade). Its three stages follow the moments both transports share:
 * 1. `admitRequest` — the HTTP request (an Engine.IO session opening, a native upgrade): the
 *    drain gate, `limits.handshakesPerIp`, then JSONP and origin (`cors.origin`), cheapest first;
 *    `admitNamespaceConnect` holds each Socket.IO namespace `CONNECT` to the first two as well,
 *    and its auth object to the payload shape limits and `limits.maxHandshakeAuthBytes`;
 * 2. `authenticate` — the token (extraction in `auth.tokenSources` order, verification,
 *    `validate()`), then whether the user has a connection slot left;
 * 3. `admitConnection` — once the connection exists: its slot is taken (another connection of the
 *    user may have taken the last one meanwhile) and its token's lifetime is watched.
 */
@Injectable()
export class HandshakePipeline {
  private readonly logger = new Logger('RealtimeHandshake');
  private readonly publicScopes = new Set<string>();
  private readonly publicPatterns: RegExp[] = [];
  /** Slots taken across instances at stage 2, by client, until stage 3 claims them. */
  private readonly heldSlots = new WeakMap<object, ClusterSlot>();

  constructor(
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
    private readonly servers: RealtimeServers,
    private readonly limits: RealtimeConnectionLimits,
    // Both are null without `auth`.
    @Optional() @Inject(TokenVerifier) private readonly verifier?: TokenVerifier | null,
    @Optional() @Inject(TokenLifetime) private readonly lifetime?: TokenLifetime | null,
    // Null unless observability is on and an OpenTelemetry SDK is registered.
    @Optional() @Inject(RealtimeTelemetry) private readonly telemetry?: RealtimeTelemetry | null,
  ) {
    for (const namespace of options.auth?.publicNamespaces ?? []) this.markPublic('socket.io', namespace);
  }

  /** Whether handshakes are authenticated at all (`auth` is configured). */
  get authenticates(): boolean {
    return !!this.verifier;
  }

  /** Makes a token optional on a namespace or native path (a gateway declared with `public: true`). */
  markPublic(transport: HandshakeTransport, scope: string | RegExp): void {
    if (scope instanceof RegExp) this.publicPatterns.push(scope);
    else this.publicScopes.add(`${transport} ${transport === 'socket.io' ? namespaceName(scope) : scope}`);
  }

  /** Stage 1. Resolves with the refusal, or `undefined` when the request may go on. */
  async admitRequest(req: IncomingMessage, ip: string | undefined, check: RequestCheck, transport: HandshakeTransport): Promise<HandshakeRefusal | undefined> {
    const refusal = await this.checkRequest(req, ip, check);
    if (refusal) this.telemetry?.handshakeRefused(transport, undefined, refusal);
    return refusal;
  }

  private async checkRequest(req: IncomingMessage, ip: string | undefined, check: RequestCheck): Promise<HandshakeRefusal | undefined> {
    const refusal = await this.checkHandshake(ip, true);
    if (refusal) return refusal;
    const reason = await check(req).catch(() => 'Request check failed');
    return reason === undefined ? undefined : { code: 'FORBIDDEN', message: reason };
  }

  /**
   * Stage 1 for a Socket.IO namespace `CONNECT`, which opens a socket (and verifies a token) over
   * an Engine.IO connection that is already open: without this, one connection could send
   * `CONNECT`s without end, each a token check, past `limits.handshakesPerIp` and the drain. The
   * connection's first `CONNECT` was paid for when the session opened; every later one (another
   * namespace, a namespace joined again, a retry after a refusal) takes a handshake from the
   * client's address.
   * @param first whether it is the first `CONNECT` of its Engine.IO connection
   */
  async admitNamespaceConnect(ip: string | undefined, namespace: string, first: boolean, auth: unknown): Promise<HandshakeRefusal | undefined> {
    const refusal = (await this.checkHandshake(ip, !first)) ?? this.checkAuthPayload(auth);
    if (refusal) this.telemetry?.handshakeRefused('socket.io', namespace, refusal);
    return refusal;
  }

  /**
   * The `CONNECT`'s auth object, held to the payload shape limits of every message: Socket.IO
   * keeps it as `socket.handshake.auth` for the socket's lifetime, and whatever serializes the
   * handshake later (the Redis adapter answering `fetchSockets()` for another instance, the app's
   * own code) recurses through it.
   */
  private checkAuthPayload(auth: unknown): HandshakeRefusal | undefined {
    const { limits } = this.options;
    const refusal = checkPayloadShape(auth, limits);
    if (refusal) return refusalOf(refusal);
    // Within the shape limits, serializing it is bounded and cannot overflow the stack.
    let bytes: number;
    try {
      bytes = Buffer.byteLength(JSON.stringify(auth) ?? '');
    } catch {
      return { code: 'BAD_REQUEST', message: 'The handshake auth object is not JSON' };
    }
    if (bytes <= limits.maxHandshakeAuthBytes) return undefined;
    return { code: 'PAYLOAD_TOO_LARGE', message: `The handshake auth object takes more than ${limits.maxHandshakeAuthBytes} bytes`, reason: HANDSHAKE_AUTH_TOO_LARGE };
  }

  /** The drain gate, then (when `counted`) one of the address's handshakes. */
  private async checkHandshake(ip: string | undefined, counted: boolean): Promise<HandshakeRefusal | undefined> {
    if (this.servers.draining) return SHUTTING_DOWN_REFUSAL;
    if (!counted) return undefined;
    let admitted = this.limits.admitHandshake(ip);
    // A promise only when handshakes are counted across instances: no extra await otherwise.
    if (typeof admitted !== 'boolean') admitted = await admitted;
    return admitted ? undefined : TOO_MANY_HANDSHAKES_REFUSAL;
  }

  /**
   * Stage 2. The verified identity, `undefined` for an anonymous client where a token is optional,
   * or the refusal.
   */
  async authenticate(offer: HandshakeOffer): Promise<HandshakeOutcome> {
    const telemetry = this.telemetry;
    if (!telemetry) return this.decide(offer);
    const outcome = await telemetry.traceHandshake(offer.transport, offer.info.namespace, () => this.decide(offer));
    if ('refusal' in outcome) telemetry.handshakeRefused(offer.transport, offer.info.namespace, outcome.refusal);
    return outcome;
  }

  private async decide(offer: HandshakeOffer): Promise<HandshakeOutcome> {
    try {
      const authenticated = await this.identify(offer);
      if (!authenticated) return {};
      const userId = String(authenticated.user.id);
      if (!this.limits.wouldAdmitUser(userId)) return { refusal: TOO_MANY_CONNECTIONS_REFUSAL };
      // Taken (check and add in one step) before the connection opens, so the refusal is a
      // handshake refusal as on one instance; freed if the connection never opens.
      const taking = this.limits.takeClusterSlot(userId);
      if (!taking) return { authenticated };
      const clusterSlot = await taking;
      if (clusterSlot === null) return { refusal: TOO_MANY_CONNECTIONS_REFUSAL };
      return { authenticated, clusterSlot };
    } catch (error) {
      if (!(error instanceof RealtimeException)) {
        this.logger.error(`Handshake failed: ${logSafe((error as Error)?.message ?? error, 200)}`, (error as Error)?.stack);
      }
      return { refusal: refusalOf(error) };
    }
  }

  private async identify({ credentials, info, transport }: HandshakeOffer): Promise<Authenticated | undefined> {
    const auth = this.options.auth;
    if (!auth || !this.verifier) return undefined;
    const token = extractToken(credentials, auth.tokenSources, auth.cookieName);
    if (token) return this.verifier.authenticate(token, info);
    if (!auth.required || this.isPublic(transport, info.namespace)) return undefined;
    throw new AuthFailure('missing_token', 'Authentication required: no token was sent');
  }

  private isPublic(transport: HandshakeTransport, scope: string): boolean {
    return this.publicScopes.has(`${transport} ${scope}`) || (transport === 'socket.io' && this.publicPatterns.some((p) => p.test(scope)));
  }

  /** Keeps the slot stage 2 took for `client` (a Socket.IO socket, a native WebSocket) until stage 3. */
  holdSlot(client: object, slot: ClusterSlot | undefined): void {
    if (slot) this.heldSlots.set(client, slot);
  }

  /**
   * Stage 3, for a connection that just opened: takes the user's slot (false when there is none
   * left: the connection is told why and closed) and starts watching its token.
   */
  admitConnection(connection: RealtimeConnection): boolean {
    const user = connection.user;
    if (user && this.limits.limitsConnections) {
      const evict = (reason: string) => {
        connection.emit(DISCONNECTED_EVENT, { reason });
        connection.disconnect(WS_CLOSE_TOO_MANY_CONNECTIONS, reason);
      };
      const clusterSlot = this.heldSlots.get(connection.client);
      this.heldSlots.delete(connection.client);
      const admitted = this.limits.admitUser(String(user.id), { onClose: (release) => (connection.releaseSlot = release), evict }, clusterSlot);
      if (!admitted) {
        this.telemetry?.handshakeRefused(connection.transport, connection.scope, TOO_MANY_CONNECTIONS_REFUSAL);
        evict(TOO_MANY_CONNECTIONS);
        return false;
      }
    }
    this.lifetime?.schedule(connection);
    this.telemetry?.connectionOpened(connection);
    return true;
  }
}
