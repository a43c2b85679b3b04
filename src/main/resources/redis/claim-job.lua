-- Makes one delivery of a job its owner; status writes of earlier deliveries are refused from now on. The owner
-- also records the models the job runs with, the first time it starts: a later delivery (another worker, maybe
-- configured with other models) keeps them, so one job's story and panel always come from the models it started
-- with. One script, so taking a job costs one round trip.
-- Fencing is monotonic: a delivery older than the one that last claimed the job is refused, so a late start of an
-- old delivery cannot take the job back from a newer one.
-- KEYS: 1 job hash.  ARGV: 1 owner token, 2 delivery number, 3 story model, 4 image model
-- Returns {'owned', story model, image model} as recorded, or {'missing'}, {'terminal'}, {'superseded'}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'missing'}
end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'COMPLETED' or status == 'FAILED' then
  return {'terminal'}
end
local current = tonumber(redis.call('HGET', KEYS[1], 'delivery') or '0')
if tonumber(ARGV[2]) < current then
  return {'superseded'}
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'delivery', ARGV[2])
redis.call('HSETNX', KEYS[1], 'story_model', ARGV[3])
redis.call('HSETNX', KEYS[1], 'image_model', ARGV[4])
local models = redis.call('HMGET', KEYS[1], 'story_model', 'image_model')
return {'owned', models[1], models[2]}
