// Each script touches one room's keys, the user's room index and the instance's entry set in one
// atomic step, so instances never race on read-modify-write.

/** KEYS: room, roomUsers, userRooms, instanceEntries. ARGV: connectionId, entry, userId, room, member. Returns 1 for the user's first connection. */
export const JOIN_SCRIPT = `
if redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('SADD', KEYS[4], ARGV[5])
redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
if redis.call('HINCRBY', KEYS[2], ARGV[3], 1) == 1 then return 1 end
return 0
`;

/** KEYS: room, roomUsers, userRooms, instanceEntries. ARGV: connectionId, userId, room, member. Returns 1 for the user's last connection, -1 when absent. */
export const LEAVE_SCRIPT = `
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return -1 end
redis.call('SREM', KEYS[4], ARGV[4])
if redis.call('HINCRBY', KEYS[3], ARGV[3], -1) <= 0 then redis.call('HDEL', KEYS[3], ARGV[3]) end
if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then
  redis.call('HDEL', KEYS[2], ARGV[2])
  return 1
end
return 0
`;

/** KEYS: room. ARGV: connectionId, entry. Returns 1 when the connection was there. */
export const UPDATE_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;
