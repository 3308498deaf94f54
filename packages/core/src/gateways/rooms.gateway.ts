import { Inject } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import type { RealtimeUser } from '../options/auth-options.interface.js';
import { AuthFailure } from '../auth/auth-failure.js';
import { RealtimeException } from '../errors/realtime.exception.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import type { PresenceModeOverride, PresencePage } from '../presence/presence.interfaces.js';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { checkRoomName } from './room-name.js';
import { JOIN_ROOM_EVENT, LEAVE_ROOM_EVENT, ROOM_MESSAGE_EVENT, ROOM_PRESENCE_EVENT } from '../protocol/index.js';

// Cursors the built-in stores hand out are a few characters; anything far longer is no cursor of theirs.
const MAX_CURSOR_LENGTH = 128;

/**
 * A base for room-based gateways (chat, collaboration): clients `joinRoom`, `leaveRoom` and
 * `msgToRoom`, with presence. Override `canJoin(user, room)` to decide who may join; room names
 * are validated (`checkRoomName`); failures reach the client through the error contract.
 *
 * Messages: `joinRoom { room, meta?, presenceEvents? }` → `{ status: 'ok', ...PresencePage }` (the
 * room's first page of users, its count and mode; `presenceEvents: true` subscribes to the room's
 * lists in `counts` mode);
 * `leaveRoom { room }` → `{ status: 'ok', room }`;
 * `msgToRoom { room, message }` → `{ status: 'ok', at }`, and the room gets
 * `msgToRoom { room, from, message, at }` (a `message` over `maxMessageBytes` → `PAYLOAD_TOO_LARGE`);
 * `roomPresence { room, cursor? }` → `{ status: 'ok', ...PresencePage }`, one page, for a member of
 * the room. Override `presenceMode(room)` to fix a room's mode.
 *
 * Rooms, and their presence, are this gateway's namespace's: the same room name in another
 * namespace is another room, behind that namespace's own `canJoin`.
 */
export abstract class RoomsGateway<U extends RealtimeUser = RealtimeUser> extends RealtimeGateway<U> {
  @Inject(REALTIME_OPTIONS)
  protected readonly realtimeOptions!: ResolvedRealtimeOptions;

  /**
   * The largest `msgToRoom` `message`, in bytes of its UTF-8 JSON, that the room gets. Every member
   * receives each message, so one sender could otherwise make the server fan out up to
   * `maxHttpBufferSize` to all of them. Override it in a subclass
   * (`protected override readonly maxMessageBytes = 64 * 1024`); larger → `PAYLOAD_TOO_LARGE`.
   * @default 16384 (16 KiB)
   */
  protected readonly maxMessageBytes: number = 16 * 1024;

  /** Whether the user may join the room. Refusal reaches the client as `FORBIDDEN`. */
  protected canJoin(_user: U, _room: string): boolean | Promise<boolean> {
    return true;
  }

  /**
   * The presence mode of a room: `auto` (`counts` once a join takes it above
   * `presence.bigRoomUsers` users, `full` again once a leave takes it to
   * `presence.bigRoomExitUsers`), or always `full` (a room whose members must see each other, however many) or always
   * `counts` (a live audience). Must be a pure function of the room name: every instance, and every
   * join, must decide the same.
   */
  protected presenceMode(_room: string): PresenceModeOverride {
    return 'auto';
  }

  @SubscribeMessage(JOIN_ROOM_EVENT)
  async joinRoom(
    @MessageBody() body: { room?: unknown; meta?: unknown; presenceEvents?: unknown },
    @ConnectedSocket() socket: Socket,
  ): Promise<{ status: 'ok' } & PresencePage> {
    const room = this.roomFrom(body);
    const { meta, presenceEvents } = body;
    if (meta !== undefined && (meta === null || typeof meta !== 'object' || Array.isArray(meta))) {
      throw new RealtimeException('BAD_REQUEST', 'meta must be an object', { field: 'meta' });
    }
    if (presenceEvents !== undefined && typeof presenceEvents !== 'boolean') {
      throw new RealtimeException('BAD_REQUEST', 'presenceEvents must be a boolean', { field: 'presenceEvents' });
    }
    if (!(await this.canJoin(this.requireUser(socket), room))) {
      throw new RealtimeException('FORBIDDEN', 'You may not join this room', { room });
    }
    const page = await this.presence.join(socket, room, meta as Record<string, unknown> | undefined, {
      mode: this.presenceMode(room),
      events: presenceEvents === true,
    });
    return { status: 'ok', ...page };
  }

  @SubscribeMessage(LEAVE_ROOM_EVENT)
  async leaveRoom(@MessageBody() body: { room?: unknown }, @ConnectedSocket() socket: Socket): Promise<{ status: 'ok'; room: string }> {
    const room = this.roomFrom(body);
    await this.presence.leave(socket, room);
    return { status: 'ok', room };
  }

  @SubscribeMessage('msgToRoom')
  msgToRoom(@MessageBody() body: { room?: unknown; message?: unknown }, @ConnectedSocket() socket: Socket): { status: 'ok'; at: string } {
    const room = this.roomFrom(body);
    if (!socket.rooms.has(room)) throw new RealtimeException('FORBIDDEN', 'Join the room before sending to it', { room });
    if (body.message === undefined) throw new RealtimeException('BAD_REQUEST', 'message is required', { field: 'message' });
    this.checkMessageSize(body.message);
    const at = new Date().toISOString();
    const user = this.requireUser(socket);
    this.server.to(room).emit(ROOM_MESSAGE_EVENT, { room, from: { userId: String(user.id), connectionId: socket.id }, message: body.message, at });
    return { status: 'ok', at };
  }

  @SubscribeMessage(ROOM_PRESENCE_EVENT)
  async roomPresence(
    @MessageBody() body: { room?: unknown; cursor?: unknown },
    @ConnectedSocket() socket: Socket,
  ): Promise<{ status: 'ok' } & PresencePage> {
    const room = this.roomFrom(body);
    const { cursor } = body;
    if (cursor !== undefined && (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH)) {
      throw new RealtimeException('BAD_REQUEST', `cursor must be a string of at most ${MAX_CURSOR_LENGTH} characters`, { field: 'cursor' });
    }
    if (!socket.rooms.has(room)) throw new RealtimeException('FORBIDDEN', 'Join the room to see who is in it', { room });
    // The socket's namespace is the one it joined in: this gateway's (or, for a dynamic namespace, the child's).
    return { status: 'ok', ...(await this.presence.page(room, { cursor, namespace: socket.nsp.name })) };
  }

  private checkMessageSize(message: unknown): void {
    let size: number;
    try {
      const json = JSON.stringify(message) as string | undefined;
      if (json === undefined) throw new TypeError('not JSON');
      size = Buffer.byteLength(json);
    } catch {
      throw new RealtimeException('BAD_REQUEST', 'message must be JSON-serializable', { field: 'message' });
    }
    if (size > this.maxMessageBytes) {
      throw new RealtimeException('PAYLOAD_TOO_LARGE', `message may take at most ${this.maxMessageBytes} bytes of JSON`, {
        field: 'message',
        maxBytes: this.maxMessageBytes,
      });
    }
  }

  private roomFrom(body: { room?: unknown } | undefined): string {
    return checkRoomName(body?.room, this.realtimeOptions.userRoomPrefix);
  }

  private requireUser(socket: Socket): U {
    const user = this.userOf(socket);
    if (!user) throw new AuthFailure('missing_token', 'Rooms need an authenticated user');
    return user;
  }
}
