-- Decides whether one more job may start, and if so counts it, in one step shared by every API instance.
-- KEYS: 1 the client's rolling-hour sorted set (member: job id, score: ms), 2 today's (UTC) job counter
-- ARGV: 1 now (epoch ms), 2 window (ms), 3 jobs per client per window, 4 daily budget,
--       5 job id, 6 seconds until the next UTC midnight, 7 'take' to count the job, 'peek' only to look
-- Returns {'ok', jobs counted today} or {'refused', 'client'|'daily', retry-after seconds}.
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)

local client_wait = 0
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  -- A slot frees when the oldest of the jobs still inside the window leaves it.
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  client_wait = math.max(1, math.ceil((tonumber(oldest[2]) + window - now) / 1000))
end
local daily_wait = 0
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[4]) then
  daily_wait = math.max(1, tonumber(ARGV[6]))
end
if client_wait > 0 or daily_wait > 0 then
  local which = 'client'
  if daily_wait >= client_wait then
    which = 'daily'
  end
  return {'refused', which, tostring(math.max(client_wait, daily_wait))}
end
if ARGV[7] ~= 'take' then
  return {'ok', '0'}
end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], window)
local today = redis.call('INCR', KEYS[2])
-- Two days: long enough to outlive the day it counts, short enough to clean itself up.
redis.call('EXPIRE', KEYS[2], 172800)
return {'ok', tostring(today)}
