import type { Namespace, Socket } from 'socket.io';
import type { ResolvedAuthOptions } from './auth-options.interface.js';
import { AuthFailure, connectError } from './auth-failure.js';
import { extractToken } from './extract-token.js';
import { clearAuthenticated, setAuthenticated, userOf } from './socket-auth-state.js';
import { TokenLifetime } from './token-lifetime.js';
import { handshakeInfo, TokenVerifier } from './token-verifier.js';
import { tooManyConnectionsError, type LimitedConnection, type RealtimeConnectionLimits } from '../limits/realtime-connection-limits.js';
import type { MessageGate } from '../pipeline/message-gate.js';
import { namespaceName, userRoom, DISCONNECTED_EVENT } from '../protocol/index.js';

/**
 * Authentication of every connection of the servers it is installed on: a Socket.IO middleware
 * on every namespace (so Nest's `handleConnection` only ever sees authenticated sockets), the
 * user's room, and the token lifetime flow on each connected socket.
 */
export class ConnectionAuth {
  private readonly verifier: TokenVerifier;
  private readonly lifetime: TokenLifetime;
  private readonly publicNamespaces: Set<string>;
  private readonly publicNamespacePatterns: RegExp[] = [];

  constructor(
    private readonly options: ResolvedAuthOptions,
    /** Every authenticated socket joins `<prefix><user id>`, so a user can be reached on every device and instance. */
    private readonly userRoomPrefix: string,
    private readonly limits: RealtimeConnectionLimits,
    gate: MessageGate,
  ) {
    this.verifier = new TokenVerifier(options);
    this.lifetime = new TokenLifetime(this.verifier, options, (socket, event, data, ack, handle) =>
      gate.admit(socket as Socket, socket.nsp.name, event, data, ack, handle),
    );
    this.publicNamespaces = new Set(options.publicNamespaces);
  }

  /** Makes a token optional on a namespace (a gateway declared with `public: true`). */
  markPublic(namespace: string | RegExp): void {
    if (namespace instanceof RegExp) this.publicNamespacePatterns.push(namespace);
    else this.publicNamespaces.add(namespaceName(namespace));
  }

  /** Installs on one namespace (see `onEveryNamespace`). */
  install(namespace: Namespace): void {
    namespace.use((socket, next) => this.authenticate(socket, next));
    // Registered before Nest's own listener: the room exists by the time handleConnection runs.
    namespace.on('connection', (socket: Socket) => {
      const user = userOf(socket);
      if (user) void socket.join(userRoom(this.userRoomPrefix, user.id));
      this.lifetime.track(socket);
    });
  }

  private isPublic(namespace: string): boolean {
    return (
      !this.options.required ||
      this.publicNamespaces.has(namespace) ||
      this.publicNamespacePatterns.some((pattern) => pattern.test(namespace))
    );
  }

  private authenticate(socket: Socket, next: (err?: Error) => void): void {
    // Whatever the client sent in handshake.auth, identity comes only from a verified token.
    clearAuthenticated(socket);
    const token = extractToken(socket.handshake, this.options.tokenSources, this.options.cookieName);
    if (!token) {
      if (this.isPublic(socket.nsp.name)) return next();
      return next(connectError(new AuthFailure('missing_token', 'Authentication required: no token was sent')));
    }
    this.verifier.authenticate(token, handshakeInfo(socket)).then(
      (authenticated) => {
        if (this.limits.limitsConnections && !this.limits.admitUser(String(authenticated.user.id), limitedConnection(socket))) {
          return next(tooManyConnectionsError());
        }
        setAuthenticated(socket, authenticated);
        next();
      },
      (error: unknown) =>
        next(connectError(error instanceof AuthFailure ? error : new AuthFailure('invalid_token', 'Invalid token'))),
    );
  }
}

/**
 * Each namespace socket counts as a connection: one Engine.IO connection cannot multiply a user's
 * sockets (dynamic namespaces included) past the limit.
 */
function limitedConnection(socket: Socket): LimitedConnection {
  return {
    // A socket refused by a later middleware never disconnects: its connection closing frees the slot then.
    onClose: (listener) => {
      const closed = () => {
        socket.off('disconnect', closed);
        socket.conn.off('close', closed);
        listener();
      };
      socket.once('disconnect', closed);
      socket.conn.once('close', closed);
    },
    // The client does not reconnect a socket the server disconnected.
    evict: (reason) => {
      socket.emit(DISCONNECTED_EVENT, { reason });
      socket.disconnect();
    },
  };
}
