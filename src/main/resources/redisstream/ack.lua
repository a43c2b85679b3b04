-- Acknowledges an entry for good; with ARGV[3] = '1' also deletes it from the stream.
-- KEYS: 1 stream, 2 hand-off hash.  ARGV: 1 group, 2 id, 3 delete
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
if ARGV[3] == '1' then
  redis.call('XDEL', KEYS[1], ARGV[2])
end
return 1
