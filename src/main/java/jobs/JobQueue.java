package jobs;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The job queue: a Redis Stream that {@code create-job.lua} appends to and the worker's {@code redis-stream:}
 * route consumes through a consumer group. Entries are deleted once acknowledged, so it holds open jobs only.
 */
@Component
public class JobQueue {
    private final StringRedisTemplate redis;

    public JobQueue(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Jobs waiting or running: entries still in the stream. */
    public long depth() {
        Long size = redis.opsForStream().size(RedisKeys.QUEUE);
        return size == null ? 0 : size;
    }
}
