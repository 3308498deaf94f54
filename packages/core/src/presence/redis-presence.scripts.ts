// Each script changes entries, the per-room user counts, the users' room indexes and the
// instance's entry set in one atomic step, so instances never race on read-modify-write. Adding and
// removing take a batch of entries, so re-syncing or reaping an instance costs one round trip per
// batch instead of one per connection. Every key a script touches is passed in KEYS.

/** Connections per script when an instance adds or removes many at once: bounds how long one script holds Redis. */
export const PRESENCE_SCRIPT_BATCH = 200;

/**
 * KEYS: instanceEntries, then per entry: room, roomUsers, userRooms.
 * ARGV per entry: connectionId, entry, userId, room, member.
 * Returns the (1-based) positions of the entries that were their user's first connection in the room.
 * An entry already there is overwritten and not counted twice.
 */
export const ADD_ENTRIES_SCRIPT = `
local first = {}
for i = 1, #ARGV / 5 do
  local a, k = 5 * (i - 1), 3 * (i - 1) + 1
  redis.call('SADD', KEYS[1], ARGV[a + 5])
  if redis.call('HSET', KEYS[k + 1], ARGV[a + 1], ARGV[a + 2]) == 1 then
    redis.call('HINCRBY', KEYS[k + 3], ARGV[a + 4], 1)
    if redis.call('HINCRBY', KEYS[k + 2], ARGV[a + 3], 1) == 1 then first[#first + 1] = i end
  end
end
return first
`;

/**
 * KEYS: instanceEntries, then per entry: room, roomUsers, userRooms.
 * ARGV per entry: connectionId, userId, room, member.
 * Returns the (1-based) positions of the entries that were their user's last connection in the
 * room; an entry no longer there is skipped (and dropped from the instance's set).
 */
export const REMOVE_ENTRIES_SCRIPT = `
local last = {}
for i = 1, #ARGV / 4 do
  local a, k = 4 * (i - 1), 3 * (i - 1) + 1
  redis.call('SREM', KEYS[1], ARGV[a + 4])
  if redis.call('HDEL', KEYS[k + 1], ARGV[a + 1]) == 1 then
    if redis.call('HINCRBY', KEYS[k + 3], ARGV[a + 3], -1) <= 0 then redis.call('HDEL', KEYS[k + 3], ARGV[a + 3]) end
    if redis.call('HINCRBY', KEYS[k + 2], ARGV[a + 2], -1) <= 0 then
      redis.call('HDEL', KEYS[k + 2], ARGV[a + 2])
      last[#last + 1] = i
    end
  end
end
return last
`;

/** KEYS: room. ARGV: connectionId, entry. Returns 1 when the connection was there. */
export const UPDATE_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;
