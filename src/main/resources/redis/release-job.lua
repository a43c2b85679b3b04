-- Gives back what admit-job.lua counted for a request that then made no job (refused later, or an idempotent
-- repeat that lost the race), so only jobs really started count.
-- KEYS: 1 the client's rolling-hour sorted set, 2 the day counter the job was counted in
-- ARGV: 1 job id
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  local left = redis.call('DECR', KEYS[2])
  if left < 0 then
    redis.call('SET', KEYS[2], 0, 'KEEPTTL')
  end
end
return 1
