import type { Namespace, Socket } from 'socket.io';
import { socketHandshakeInfo, SocketIoConnection } from './socket-io-connection.js';
import { mapPayload } from './message-payload.js';
import { clearAuthenticated, setAuthenticated } from '../connection/identity.js';
import { connectionOf, registerConnection } from '../connection/connection-registry.js';
import type { MessageHandler } from '../connection/realtime-connection.js';
import { connectError } from '../handshake/handshake-refusal.js';
import type { HandshakePipeline } from '../handshake/handshake-pipeline.js';
import type { MessagePipeline } from '../pipeline/message-pipeline.js';
import { AUTH_REFRESH_EVENT, SUBJECT_MISMATCH, userRoom } from '../protocol/index.js';
import type { HandshakeRefusal } from '../handshake/handshake-refusal.js';
import { recoveredUserOf, replayMissedPackets } from './session-recovery.js';

/** A recovered session's `CONNECT` whose token names another user than the session's. */
const SESSION_OF_ANOTHER_USER: HandshakeRefusal = { code: 'FORBIDDEN', message: 'The recovered session belongs to another user', reason: SUBJECT_MISMATCH };

type Listener = (this: Socket, ...args: unknown[]) => void;

/**
 * Socket.IO's side of the pipelines: the namespace middleware that authenticates, the connection
 * context of each socket, and the listeners that hand messages to the message pipeline. Listeners
 * are shared functions (one per event name, `this` being the socket), not closures per socket:
 * an idle connection costs only its context.
 */
export class SocketIoTransport {
  private readonly eventListeners = new Map<string, Listener>();
  private readonly refreshListener: Listener;
  private readonly unknownEventListener: Listener;
  private readonly disconnectListener: Listener;
  // One function for every connection (a closure per connection would stay as long as it does).
  private readonly unbindConnection = (socket: Socket, connection: SocketIoConnection): void => this.unbind(socket, connection);

  constructor(
    private readonly handshake: HandshakePipeline,
    private readonly messages: MessagePipeline,
    private readonly userRoomPrefix: string,
  ) {
    this.refreshListener = this.listenerFor(AUTH_REFRESH_EVENT);
    // An event nothing listens to, sent with an ack, is answered NOT_FOUND (as native clients' are)
    // instead of leaving the client to time out; without an ack it is dropped, as Socket.IO does.
    this.unknownEventListener = function (this: Socket, event: unknown, ...args: unknown[]) {
      // Runs for every packet: the cheap checks first, nothing allocated for an event that has listeners.
      if (typeof event !== 'string' || typeof args[args.length - 1] !== 'function' || this.listenerCount(event) > 0) return;
      const connection = connectionOf(this);
      if (!connection) return;
      const { data, ack } = mapPayload(args);
      messages.receive(connection, event, data, ack);
    };
    this.disconnectListener = function (this: Socket, reason: unknown) {
      connectionOf(this)?.close((what, error) => messages.logError(`${what} failed on disconnect`, error), reason);
    };
  }

  /** Installs on one namespace (see `onEveryNamespace`), after `admitNamespaceSocket`. */
  install(namespace: Namespace): void {
    if (this.handshake.authenticates) namespace.use((socket, next) => this.authenticate(socket, next));
    // Registered before Nest's own listener: the context and the user's room exist by the time
    // handleConnection runs, and the teardown runs before handleDisconnect.
    namespace.on('connection', (socket: Socket) => this.connect(socket));
  }

  private authenticate(socket: Socket, next: (err?: Error) => void): void {
    const recoveredUser = recoveredUserOf(socket);
    // Whatever the client sent in handshake.auth, identity comes only from a verified token.
    clearAuthenticated(socket);
    this.handshake.authenticate({ credentials: socket.handshake, info: socketHandshakeInfo(socket), transport: 'socket.io' }).then((outcome) => {
      if ('refusal' in outcome) return next(connectError(outcome.refusal));
      // A recovered session brings back its rooms (its user's room among them): only for the same user.
      if (recoveredUser && String(outcome.authenticated?.user.id) !== String(recoveredUser.id)) {
        outcome.clusterSlot?.release();
        return next(connectError(SESSION_OF_ANOTHER_USER));
      }
      if (outcome.authenticated) setAuthenticated(socket, outcome.authenticated);
      this.handshake.holdSlot(socket, outcome.clusterSlot);
      next();
    });
  }

  private connect(socket: Socket): void {
    const connection = new SocketIoConnection(socket, this.unbindConnection);
    registerConnection(connection);
    socket.on('disconnect', this.disconnectListener);
    socket.onAny(this.unknownEventListener);
    if (this.handshake.authenticates) socket.on(AUTH_REFRESH_EVENT, this.refreshListener);
    const user = connection.user;
    if (user) void socket.join(userRoom(this.userRoomPrefix, user.id));
    this.handshake.admitConnection(connection);
    replayMissedPackets(socket);
  }

  /** Adds a gateway's handlers to the socket's connection: one listener per event name, whatever the number of handlers. */
  bindMessageHandlers(socket: Socket, handlers: readonly MessageHandler[]): void {
    const connection = connectionOf(socket);
    if (!connection || handlers.length === 0) return;
    const known = connection.handlers;
    const bound = new Set(known.map((handler) => String(handler.message)));
    for (const handler of handlers) {
      const event = String(handler.message);
      if (bound.has(event)) continue;
      bound.add(event);
      // A listener per event name rather than socket.onAny(): onAny runs before socket.use()
      // middlewares, even for packets they reject, which Nest's listeners never see.
      socket.on(event, this.listenerFor(event));
    }
    connection.addHandlers(handlers);
  }

  private unbind(socket: Socket, connection: SocketIoConnection): void {
    for (const handler of connection.handlers) socket.off(String(handler.message), this.listenerFor(String(handler.message)));
    socket.off(AUTH_REFRESH_EVENT, this.refreshListener);
    socket.offAny(this.unknownEventListener);
    socket.off('disconnect', this.disconnectListener);
  }

  private listenerFor(event: string): Listener {
    let listener = this.eventListeners.get(event);
    if (!listener) {
      const messages = this.messages;
      listener = function (this: Socket, ...args: unknown[]) {
        const connection = connectionOf(this);
        if (!connection) return;
        const { data, ack } = mapPayload(args);
        messages.receive(connection, event, data, ack);
      };
      this.eventListeners.set(event, listener);
    }
    return listener;
  }
}
