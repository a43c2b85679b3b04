-- Records the models a job runs with, the first time it starts; a later delivery (another worker, maybe configured
-- with other models) keeps them, so one job's story and panel always come from the models it started with.
-- KEYS: 1 job hash.  ARGV: 1 story model, 2 image model
-- Returns {story model, image model} as recorded, or false when the job record is gone.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return false
end
redis.call('HSETNX', KEYS[1], 'story_model', ARGV[1])
redis.call('HSETNX', KEYS[1], 'image_model', ARGV[2])
return redis.call('HMGET', KEYS[1], 'story_model', 'image_model')
