-- Takes over entries idle for at least min-idle (their consumer went silent or handed them back), claiming no more
-- than COUNT, and reports each with its delivery number and how many of its deliveries were handed back unfinished.
-- KEYS: 1 stream, 2 hand-off hash.  ARGV: 1 group, 2 consumer, 3 min-idle (ms), 4 cursor, 5 count
-- Returns {next cursor, {{id, delivery number, hand-offs, {field, value, ...}}, ...}, {deleted id, ...}}
local reply = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5])
local claimed, deleted, ghosts = {}, {}, false
for _, entry in ipairs(reply[2]) do
  if entry then
    local id = entry[1]
    local pending = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
    local number = pending[1] and pending[1][4] or 1
    local handoffs = tonumber(redis.call('HGET', KEYS[2], id) or '0')
    table.insert(claimed, {id, number, handoffs, entry[2]})
  else
    ghosts = true
  end
end
-- Redis 7 lists the ids of deleted entries and has already dropped them from the pending list.
if reply[3] then
  for _, id in ipairs(reply[3]) do
    table.insert(deleted, id)
  end
end
-- Redis 6.2 answers a deleted entry with nil and leaves it pending for us: find it among ours and drop it.
if ghosts then
  local held = {}
  for _, entry in ipairs(claimed) do held[entry[1]] = true end
  for _, p in ipairs(redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1000, ARGV[2])) do
    if not held[p[1]] and #redis.call('XRANGE', KEYS[1], p[1], p[1]) == 0 then
      table.insert(deleted, p[1])
    end
  end
end
for _, id in ipairs(deleted) do
  redis.call('XACK', KEYS[1], ARGV[1], id)
  redis.call('HDEL', KEYS[2], id)
end
return {reply[1], claimed, deleted}
