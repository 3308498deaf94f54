/**
 * The Socket.IO room of the connections that subscribed to a presence room's events
 * (`joinRoom { presenceEvents: true }`): in `counts` mode they get the diffs with lists.
 *
 * `#` is no character of a room name a client may ask for (`checkRoomName`), so no client can
 * join it through `joinRoom` and receive the lists without subscribing as a member.
 */
export function presenceSubscribersRoom(room: string): string {
  return `presence-events#${room}`;
}
