import { RealtimeException } from '../errors/realtime.exception.js';

const ROOM_NAME = /^[\p{L}\p{N}_.:-]{1,64}$/u;
// Socket.IO puts every socket in a room named after its id: joining one would eavesdrop on it.
const SOCKET_ID_SHAPE = /^[A-Za-z0-9_-]{20}$/;

/**
 * A room name a client may ask for: 1 to 64 letters, digits, `_ . : -`; not one of the rooms the
 * library itself uses (`<userRoomPrefix><id>`, socket ids).
 * @throws RealtimeException `BAD_REQUEST`
 */
export function checkRoomName(room: unknown, userRoomPrefix: string): string {
  if (typeof room !== 'string' || !ROOM_NAME.test(room)) {
    throw new RealtimeException('BAD_REQUEST', 'Invalid room name', {
      room: typeof room === 'string' ? room.slice(0, 80) : null,
      rule: '1 to 64 letters, digits, "_", ".", ":" or "-"',
    });
  }
  if (room.startsWith(userRoomPrefix) || SOCKET_ID_SHAPE.test(room)) {
    throw new RealtimeException('BAD_REQUEST', 'This room name is reserved', { room });
  }
  return room;
}
