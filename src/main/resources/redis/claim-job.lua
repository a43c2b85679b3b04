-- Makes one delivery of a job its owner; status writes of earlier deliveries are refused from now on.
-- KEYS: 1 job hash.  ARGV: 1 owner token
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'missing'
end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'COMPLETED' or status == 'FAILED' then
  return 'terminal'
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1])
return 'owned'
