import { describe, expect, it } from 'vitest';
import { parsePresenceRoomKey, presenceRoomKey } from './presence-room-key.js';

describe('presenceRoomKey', () => {
  it('keys the same room name apart in two namespaces', () => {
    expect(presenceRoomKey('/admin', 'ops')).toBe('/admin#ops');
    expect(presenceRoomKey('/chat', 'ops')).not.toBe(presenceRoomKey('/admin', 'ops'));
  });

  it.each([
    ['/', 'lobby'],
    ['/chat', 'a#b'],
    ['/a#b', 'c'],
    ['/a', 'b#c'],
    ['/100%', '#'],
    ['/%23', '%25'],
    ['/%2523#', ''],
    ['/', '/chat#ops'],
  ])('round-trips namespace %j and room %j, and no two pairs share a key', (namespace, room) => {
    expect(parsePresenceRoomKey(presenceRoomKey(namespace, room))).toEqual({ namespace, room });
  });

  it('gives different keys to pairs a plain "#" join would confuse', () => {
    expect(presenceRoomKey('/a#b', 'c')).not.toBe(presenceRoomKey('/a', 'b#c'));
    expect(presenceRoomKey('/%23', 'x')).not.toBe(presenceRoomKey('/#', 'x'));
  });

  it('reads no namespace out of a key without one', () => {
    expect(parsePresenceRoomKey('ops')).toBeUndefined();
  });
});
