-- Gives back what admit-job.lua counted for a request that then made no job (refused later, or an idempotent
-- repeat that lost the race), so only jobs really started count.
-- KEYS: 1 the client's rolling-hour sorted set, 2 the day counter the job was counted in
-- ARGV: 1 job id
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  -- Nothing counted today any more: no key either, so a refused request leaves nothing behind.
  if redis.call('DECR', KEYS[2]) <= 0 then
    redis.call('DEL', KEYS[2])
  end
end
return 1
