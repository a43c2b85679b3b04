-- Makes one delivery of a job its owner; status writes of earlier deliveries are refused from now on.
-- Fencing is monotonic: a delivery older than the one that last claimed the job is refused, so a late start of an
-- old delivery cannot take the job back from a newer one.
-- KEYS: 1 job hash.  ARGV: 1 owner token, 2 delivery number
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'missing'
end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'COMPLETED' or status == 'FAILED' then
  return 'terminal'
end
local current = tonumber(redis.call('HGET', KEYS[1], 'delivery') or '0')
if tonumber(ARGV[2]) < current then
  return 'superseded'
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'delivery', ARGV[2])
return 'owned'
