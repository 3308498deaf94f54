/**
 * The messages every Socket.IO target answers, with the same shapes, so one load generator drives
 * all three. (c) gets `joinRoom` / `leaveRoom` / `msgToRoom` from the library's `RoomsGateway`
 * (presence, room-name checks, membership check); (a) and (b) implement the plain equivalent.
 *
 * - `echo` (data, ack) → ack(data)
 * - `joinRoom` { room } → ack { status: 'ok', room, … }
 * - `leaveRoom` { room } → ack { status: 'ok', room }
 * - `msgToRoom` { room, message } → ack { status: 'ok', at }; the room gets
 *   `msgToRoom` { room, from, message, at }
 */
export const EVENTS = {
  echo: 'echo',
  joinRoom: 'joinRoom',
  leaveRoom: 'leaveRoom',
  msgToRoom: 'msgToRoom',
} as const;

export interface RoomBody {
  room: string;
}

export interface RoomMessageBody {
  room: string;
  message: unknown;
}

/**
 * Native WebSocket targets serve one path and speak the module's frames: one JSON text frame
 * `{ event, data }` each way. They answer `echo` only: a frame `{ event: 'echo', data }` gets the
 * same frame back (replies come in order, so clients match them first in, first out).
 */
export const WS_PATH = '/ws';

export interface WsFrame {
  event: string;
  data?: unknown;
}
