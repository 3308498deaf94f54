import { Inject, Logger } from '@nestjs/common';
import { WebSocketServer, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import type { RealtimeUser } from '../options/auth-options.interface.js';
import { userOf } from '../connection/identity.js';
import { logSafe } from '../logging/log-safe.js';
import { PresenceService } from '../presence/presence.service.js';
import { RealtimeService, type RealtimeTarget } from '../service/realtime.service.js';

/**
 * A base for gateways: lifecycle logging (the hooks from Nest's docs, done once), typed helpers
 * to reach users and rooms on every instance, and presence that is cleaned up when a socket
 * disconnects. Extend it and decorate the subclass with `@WebSocketGateway()`; override any hook
 * (call `super` to keep the logging).
 */
export abstract class RealtimeGateway<U extends RealtimeUser = RealtimeUser>
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect
{
  protected readonly logger = new Logger(this.constructor.name);

  /** This gateway's namespace (for a gateway without one, the server, whose `to()`/`emit()` work the same). */
  @WebSocketServer()
  protected readonly server!: Namespace;

  @Inject(RealtimeService)
  protected readonly realtime!: RealtimeService;

  /** Presence ends by itself when a socket disconnects: no cleanup needed in `handleDisconnect`. */
  @Inject(PresenceService)
  protected readonly presence!: PresenceService;

  afterInit(): void {
    this.logger.log(`Gateway ready on namespace ${this.namespaceName}`);
  }

  handleConnection(socket: Socket): void | Promise<void> {
    this.logger.log(`Connected: ${socket.id} (user ${this.userLabel(socket)})`);
  }

  handleDisconnect(socket: Socket, reason?: string): void | Promise<void> {
    this.logger.log(`Disconnected: ${socket.id} (user ${this.userLabel(socket)}, ${reason ?? 'no reason'})`);
  }

  /** Every socket of the user in this namespace, on every instance. */
  protected toUser(userId: string | number): RealtimeTarget {
    return this.realtime.toUser(userId, { namespace: this.namespaceName });
  }

  /** Every socket in the room of this namespace, on every instance. */
  protected toRoom(room: string): RealtimeTarget {
    return this.realtime.toRoom(room, { namespace: this.namespaceName });
  }

  /** Nest injects the Server itself into gateways without a namespace: that is the main namespace. */
  protected get namespaceName(): string {
    return (this.server as Partial<Namespace> | undefined)?.name ?? '/';
  }

  /** A user id comes from a token's claims: never into a log line as it is. */
  private userLabel(socket: Socket): string {
    const id = this.userOf(socket)?.id;
    return id === undefined ? 'anonymous' : logSafe(id);
  }

  /** The socket's authenticated user. */
  protected userOf(socket: Socket): U | undefined {
    return userOf<U>(socket);
  }
}
