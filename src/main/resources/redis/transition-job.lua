-- Moves a job to a new status unless it already ended or another delivery owns it.
-- Returns the whole record (HGETALL) after the change, or false when the change was refused.
-- KEYS: 1 job hash
-- ARGV: 1 status, 2 updated_at, 3 owner token ('' = any owner), 4 error_message, 5 image_url, 6 story, 7 retention (s),
--       8 delivery number of the writer ('' = any)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return false
end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'COMPLETED' or status == 'FAILED' then
  return false
end
if ARGV[3] ~= '' then
  local owner = redis.call('HGET', KEYS[1], 'owner')
  if owner and owner ~= ARGV[3] then
    return false
  end
end
if ARGV[8] ~= '' and tonumber(ARGV[8]) < tonumber(redis.call('HGET', KEYS[1], 'delivery') or '0') then
  return false
end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'updated_at', ARGV[2])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'error_message', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'image_url', ARGV[5]) end
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'story', ARGV[6]) end
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('EXPIRE', KEYS[1], ARGV[7])
return redis.call('HGETALL', KEYS[1])
