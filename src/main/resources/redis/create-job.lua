-- Creates a job and enqueues it in one step, so a request either leaves a queued job or nothing.
-- KEYS: 1 job hash, 2 history zset, 3 queue stream, 4 idempotency key, 5 the owner's history zset
-- ARGV: 1 job id, 2 created_at, 3 inputs (JSON array), 4 history score (epoch ms),
--       5 retention (s), 6 idempotency window (s), 7 history size, 8 '1' when an idempotency key was given,
--       9 owner (hash of the client's token; empty: no token, the job is in no client's history)
if ARGV[8] == '1' then
  local existing = redis.call('GET', KEYS[4])
  if existing then
    return '=' .. existing
  end
end
redis.call('HSET', KEYS[1], 'job_id', ARGV[1], 'status', 'QUEUED', 'created_at', ARGV[2],
  'updated_at', ARGV[2], 'inputs', ARGV[3], 'version', 1)
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[7]) + 1))
if ARGV[9] ~= '' then
  -- 'client', not 'owner': 'owner' is the worker delivery that owns the job (claim-job.lua, transition-job.lua).
  redis.call('HSET', KEYS[1], 'client', ARGV[9])
  redis.call('ZADD', KEYS[5], ARGV[4], ARGV[1])
  redis.call('ZREMRANGEBYRANK', KEYS[5], 0, -(tonumber(ARGV[7]) + 1))
  redis.call('EXPIRE', KEYS[5], ARGV[5])
end
redis.call('XADD', KEYS[3], '*', 'job_id', ARGV[1], 'inputs', ARGV[3])
if ARGV[8] == '1' then
  redis.call('SET', KEYS[4], ARGV[1], 'EX', ARGV[6])
end
return '+' .. ARGV[1]
