// The check and the add of a cluster-wide connection slot in one atomic step, so two instances
// admitting the same user at once never both take the last slot.

/**
 * KEYS: instances (the presence heartbeats), userConnections (a hash: slot id → instance id).
 * ARGV: slotId, instanceId, max, staleBefore (a heartbeat older than this is a dead instance's).
 * Returns 1 when the slot was taken, 0 when the user is at the limit. The slots of an instance
 * gone from the heartbeats (closed, or reaped by a survivor) are dropped on the way; those of an
 * instance whose heartbeat is stale are not counted (it is reaped within another ttl).
 */
export const TAKE_SLOT_SCRIPT = `
local live = 0
local slots = redis.call('HGETALL', KEYS[2])
for i = 1, #slots, 2 do
  local beat = redis.call('ZSCORE', KEYS[1], slots[i + 1])
  if not beat then
    redis.call('HDEL', KEYS[2], slots[i])
  elseif tonumber(beat) >= tonumber(ARGV[4]) then
    live = live + 1
  end
end
if live >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
`;
