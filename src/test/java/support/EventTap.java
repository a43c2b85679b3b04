package support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jobs.RedisKeys;

/**
 * Listens to the status events workers publish on {@code panel:events}, straight from Redis: what every API
 * instance relays to WebSocket subscribers, so the number of COMPLETED events is what users see.
 */
public final class EventTap implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisClient client;
    private final StatefulRedisPubSubConnection<String, String> connection;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();

    public EventTap(String redisUrl) {
        client = RedisClient.create(redisUrl);
        connection = client.connectPubSub();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                try {
                    events.add(JSON.readTree(message).path("job"));
                } catch (Exception e) {
                    throw new IllegalStateException("Unreadable event: " + message, e);
                }
            }
        });
        connection.sync().subscribe(RedisKeys.EVENTS_CHANNEL);
    }

    /** Statuses published for this job, in order. */
    public List<String> statuses(String jobId) {
        return events.stream().filter(event -> jobId.equals(event.path("job_id").asText()))
                .map(event -> event.path("status").asText()).toList();
    }

    /** How many times this job was published with this status. */
    public long count(String jobId, String status) {
        return statuses(jobId).stream().filter(status::equals).count();
    }

    public List<JsonNode> all() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
