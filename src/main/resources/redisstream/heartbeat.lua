-- Resets the idle time of the entries this consumer still holds, without counting a delivery (JUSTID). An entry
-- another consumer has taken over is left alone: re-claiming it would take it back from a newer delivery.
-- KEYS: 1 stream.  ARGV: 1 group, 2 consumer, 3.. ids.   Returns the ids this consumer no longer holds.
local lost = {}
for i = 3, #ARGV do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if pending[1] and pending[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
  else
    table.insert(lost, ARGV[i])
  end
end
return lost
