-- Moves a job to a new status unless it already ended or another delivery owns it, and publishes the change.
-- Returns the whole record (HGETALL) after the change, or false when the change was refused.
-- KEYS: 1 job hash
-- ARGV: 1 status, 2 updated_at, 3 owner token ('' = any owner), 4 error_message, 5 image_url, 6 story, 7 retention (s),
--       8 delivery number of the writer ('' = any), 9 the events channel ('' = publish nothing)
-- The event is {"version": n, "job": <the GET /job shape, its fields in that order>}, published here rather than by a
-- second command: one round trip a status change instead of two, and no change is recorded without its event.
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
local record = redis.call('HGETALL', KEYS[1])
if ARGV[9] ~= '' then
  local f = {}
  for i = 1, #record, 2 do
    f[record[i]] = record[i + 1]
  end
  local function json(value)
    if value == nil then
      return 'null'
    end
    return cjson.encode(value)
  end
  local result = 'null'
  if f['status'] == 'COMPLETED' then
    result = '{"image_url":' .. json(f['image_url']) .. ',"story":' .. json(f['story']) .. '}'
  end
  redis.call('PUBLISH', ARGV[9], '{"version":' .. tonumber(f['version']) .. ',"job":{"job_id":' .. json(f['job_id'])
    .. ',"status":' .. json(f['status']) .. ',"error_message":' .. json(f['error_message'])
    .. ',"result":' .. result .. ',"created_at":' .. json(f['created_at'])
    .. ',"updated_at":' .. json(f['updated_at']) .. '}}')
end
return record
