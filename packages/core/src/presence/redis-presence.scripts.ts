// Each script changes a room's connections, its users (their order and metas), the users' room
// indexes and the instance's connection set in one atomic step, so instances never race on
// read-modify-write. Adding and removing take a batch of entries, so re-syncing or reaping an
// instance costs one round trip per batch instead of one per connection. Every key a script
// touches is passed in KEYS. No script reads a whole room but the one that lists it.
//
// A user's metas in a room are one JSON object, connectionId → that connection's meta as a JSON
// string: the scripts decode and encode only the object and never the metas, which cjson would
// not give back as they came (it turns [] into {} and rounds numbers to 14 digits).
//
// A room's big state is one more key, present while the room is big (`isBigRoom`): the scripts that
// add or remove a user apply the rule right after, with the band in ARGV[1] and ARGV[2], so the
// state changes with the count in one step and every instance reads the same one.

/** Connections per script when an instance adds or removes many at once: bounds how long one script holds Redis. */
export const PRESENCE_SCRIPT_BATCH = 200;

/**
 * KEYS per entry, after the instance's set: the room's connections (hash connectionId → userId),
 * users by first join (sorted set userId → sequence), user metas (hash userId → metas object),
 * sequence (counter), the user's rooms (hash room → connection count), and the room's big state
 * (a string, present while the room is big).
 */
const ENTRY_KEYS = 6;

/** ARGV before the entries': `presence.bigRoomUsers` and `presence.bigRoomExitUsers`. */
const BAND_ARGS = 2;

/**
 * After a user came into or left the room of the entry at `k`: `isBigRoom` of its user count and
 * its state. Above ARGV[1] users big, at or below ARGV[2] small (an emptied room too), in between
 * as it was.
 */
const MARK_BIG = `
local function mark_big(k)
  local users = redis.call('ZCARD', KEYS[k + 2])
  if users > tonumber(ARGV[1]) then redis.call('SET', KEYS[k + 6], '1')
  elseif users <= tonumber(ARGV[2]) then redis.call('DEL', KEYS[k + 6]) end
end
`;

/** Removes a connection the room holds for the user; true when it was their last one there. */
const DROP_CONNECTION = `
local function drop_connection(k, connectionId, userId, room)
  redis.call('HDEL', KEYS[k + 1], connectionId)
  if redis.call('HINCRBY', KEYS[k + 5], room, -1) <= 0 then redis.call('HDEL', KEYS[k + 5], room) end
  local metas = cjson.decode(redis.call('HGET', KEYS[k + 3], userId))
  metas[connectionId] = nil
  if next(metas) ~= nil then
    redis.call('HSET', KEYS[k + 3], userId, cjson.encode(metas))
    return false
  end
  redis.call('HDEL', KEYS[k + 3], userId)
  redis.call('ZREM', KEYS[k + 2], userId)
  -- An empty room leaves no key behind; nobody can hold a cursor of a room nobody is in.
  if redis.call('ZCARD', KEYS[k + 2]) == 0 then redis.call('DEL', KEYS[k + 4]) end
  return true
end
`;

/**
 * KEYS: instanceConnections, then per entry the ENTRY_KEYS.
 * ARGV: the band (BAND_ARGS), then per entry: connectionId, userId, room, member, meta (JSON).
 * Returns the (1-based) positions of the entries that were their user's first connection in the
 * room, who got the room's next sequence number. A connection already there has its meta replaced
 * and is not counted twice.
 */
export const ADD_ENTRIES_SCRIPT = `${MARK_BIG}
local first = {}
for i = 1, (#ARGV - ${BAND_ARGS}) / 5 do
  local a, k = ${BAND_ARGS} + 5 * (i - 1), ${ENTRY_KEYS} * (i - 1) + 1
  local connectionId, userId = ARGV[a + 1], ARGV[a + 2]
  redis.call('SADD', KEYS[1], ARGV[a + 4])
  local raw = redis.call('HGET', KEYS[k + 3], userId)
  local metas = raw and cjson.decode(raw) or {}
  if redis.call('HGET', KEYS[k + 1], connectionId) ~= userId then
    redis.call('HSET', KEYS[k + 1], connectionId, userId)
    redis.call('HINCRBY', KEYS[k + 5], ARGV[a + 3], 1)
  end
  metas[connectionId] = ARGV[a + 5]
  redis.call('HSET', KEYS[k + 3], userId, cjson.encode(metas))
  if not raw then
    redis.call('ZADD', KEYS[k + 2], redis.call('INCR', KEYS[k + 4]), userId)
    mark_big(k)
    first[#first + 1] = i
  end
end
return first
`;

/**
 * KEYS: instanceConnections, then per entry the ENTRY_KEYS.
 * ARGV: the band (BAND_ARGS), then per entry: connectionId, userId, room, member.
 * Returns the (1-based) positions of the entries that were their user's last connection in the
 * room; an entry no longer there is skipped (and dropped from the instance's set).
 */
export const REMOVE_ENTRIES_SCRIPT = `${DROP_CONNECTION}${MARK_BIG}
local last = {}
for i = 1, (#ARGV - ${BAND_ARGS}) / 4 do
  local a, k = ${BAND_ARGS} + 4 * (i - 1), ${ENTRY_KEYS} * (i - 1) + 1
  redis.call('SREM', KEYS[1], ARGV[a + 4])
  if redis.call('HGET', KEYS[k + 1], ARGV[a + 1]) == ARGV[a + 2] and drop_connection(k, ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]) then
    mark_big(k)
    last[#last + 1] = i
  end
end
return last
`;

/** KEYS: room connections, room user metas. ARGV: connectionId, userId, meta (JSON). Returns 1 when the connection was there. */
export const UPDATE_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
local metas = cjson.decode(redis.call('HGET', KEYS[2], ARGV[2]))
metas[ARGV[1]] = ARGV[3]
redis.call('HSET', KEYS[2], ARGV[2], cjson.encode(metas))
return 1
`;

/**
 * KEYS: room users by first join, room user metas. ARGV: after (a sequence number), limit (-1: all).
 * Returns userId, sequence, metas object, for each user who first joined after `after`, in join order.
 * HMGET goes in slices: Lua's unpack() cannot spread a whole big room.
 */
export const PAGE_SCRIPT = `
local ranked = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, ARGV[2])
local page = {}
for from = 1, #ranked, 2000 do
  local userIds = {}
  for i = from, math.min(from + 1999, #ranked), 2 do userIds[#userIds + 1] = ranked[i] end
  local metas = redis.call('HMGET', KEYS[2], unpack(userIds))
  for j = 1, #userIds do
    page[#page + 1] = userIds[j]
    page[#page + 1] = ranked[from + 2 * j - 1]
    page[#page + 1] = metas[j]
  end
end
return page
`;

/**
 * KEYS: room users by first join, room connections, room big state. Returns the user and connection
 * counts and whether the room is big (1 or 0), read at one instant.
 */
export const COUNT_SCRIPT = `
return { redis.call('ZCARD', KEYS[1]), redis.call('HLEN', KEYS[2]), redis.call('EXISTS', KEYS[3]) }
`;
