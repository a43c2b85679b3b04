package redisstream;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@code redis-stream:<stream key>?group=<group>&maxInFlight=<n>}: consumes a Redis Stream through a consumer group,
 * with a bounded number of entries in flight, heartbeats, reclaiming of silent entries and hand-back on stop.
 */
public class RedisStreamComponent extends DefaultComponent {
    private final StringRedisTemplate redis;

    public RedisStreamComponent(StringRedisTemplate redis) {
        this.redis = redis;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("redis-stream needs a stream key: redis-stream:<key>?group=<group>");
        }
        RedisStreamEndpoint endpoint = new RedisStreamEndpoint(uri, this, remaining, redis);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
