-- Hands entries this consumer still holds back to the group at once: their idle time is set far beyond any
-- min-idle, so the next XAUTOCLAIM anywhere takes them, and the hand-off is counted so that it is not taken for a
-- failed delivery. JUSTID leaves the delivery counter as it is.
-- KEYS: 1 stream, 2 hand-off hash.  ARGV: 1 group, 2 consumer, 3 idle (ms), 4.. ids.   Returns the ids handed back.
local released = {}
for i = 4, #ARGV do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if pending[1] and pending[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'IDLE', ARGV[3], 'JUSTID')
    redis.call('HINCRBY', KEYS[2], ARGV[i], 1)
    table.insert(released, ARGV[i])
  end
end
return released
