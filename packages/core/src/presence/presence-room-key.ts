/**
 * A presence room is a room of one namespace: stores key it by both, so `/admin`'s "ops" and
 * `/chat`'s "ops" never share an entry, an event or a count.
 *
 * The key is `<namespace>#<room>`. `%` and `#` in the namespace are escaped (`%25`, `%23`), so the
 * first `#` always ends it, whatever the room name holds.
 */
export function presenceRoomKey(namespace: string, room: string): string {
  return `${namespace.replace(/%/g, '%25').replace(/#/g, '%23')}#${room}`;
}

/** The namespace and room of a key made by `presenceRoomKey`; `undefined` for anything else. */
export function parsePresenceRoomKey(key: string): { namespace: string; room: string } | undefined {
  const end = key.indexOf('#');
  // Keys written before rooms were scoped (no `#`) belong to no known namespace.
  if (end === -1) return undefined;
  return { namespace: key.slice(0, end).replace(/%2[35]/g, (escape) => (escape === '%23' ? '#' : '%')), room: key.slice(end + 1) };
}
