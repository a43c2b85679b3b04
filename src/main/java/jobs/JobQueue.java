package jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisStreamCommands.XClaimOptions;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The job queue: a Redis Stream read through a consumer group. A delivery stays pending until acknowledged, so a
 * job taken by a worker that dies is reclaimed by another once it has been idle too long.
 */
@Component
public class JobQueue {
    private static final Logger log = LoggerFactory.getLogger(JobQueue.class);
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

    private final StringRedisTemplate redis;
    private final ObjectMapper json;

    public JobQueue(StringRedisTemplate redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
    }

    /** Creates the consumer group if missing; reading from id 0 so jobs enqueued before it existed still run. */
    public void ensureGroup() {
        try {
            redis.opsForStream().createGroup(RedisKeys.QUEUE, ReadOffset.from("0"), RedisKeys.QUEUE_GROUP);
            log.info("Created consumer group {} on {}", RedisKeys.QUEUE_GROUP, RedisKeys.QUEUE);
        } catch (RedisSystemException e) {
            if (!String.valueOf(e.getMostSpecificCause().getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** New deliveries for this consumer, waiting up to {@code block} for the first. */
    public List<JobDelivery> read(String consumer, int count, Duration block) {
        @SuppressWarnings("unchecked")
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().read(
                Consumer.from(RedisKeys.QUEUE_GROUP, consumer),
                StreamReadOptions.empty().count(count).block(block),
                StreamOffset.create(RedisKeys.QUEUE, ReadOffset.lastConsumed()));
        List<JobDelivery> deliveries = new ArrayList<>();
        if (records != null) {
            for (MapRecord<String, Object, Object> record : records) {
                addReadable(deliveries, record, 1);
            }
        }
        return deliveries;
    }

    /**
     * Takes over deliveries idle for longer than {@code minIdle} (their worker stopped heart-beating). Each claim
     * counts as one more delivery of that job.
     */
    public List<JobDelivery> reclaim(String consumer, Duration minIdle, int count) {
        PendingMessages pending = redis.opsForStream().pending(RedisKeys.QUEUE, RedisKeys.QUEUE_GROUP,
                Range.unbounded(), count);
        List<JobDelivery> claimed = new ArrayList<>();
        for (PendingMessage message : pending) {
            if (message.getElapsedTimeSinceLastDelivery().compareTo(minIdle) < 0) {
                continue;
            }
            // XCLAIM with min-idle is atomic: of two workers reclaiming at once, only one wins.
            List<MapRecord<String, Object, Object>> records = redis.opsForStream().claim(RedisKeys.QUEUE,
                    RedisKeys.QUEUE_GROUP, consumer, XClaimOptions.minIdle(minIdle).ids(message.getId()));
            for (MapRecord<String, Object, Object> record : records) {
                addReadable(claimed, record, message.getTotalDeliveryCount() + 1);
            }
            if (records.isEmpty()) {
                // The entry was deleted from the stream (acknowledged elsewhere or trimmed): drop its pending entry.
                acknowledge(message.getIdAsString());
            }
        }
        return claimed;
    }

    /** Resets the idle time of deliveries still being worked on, without counting a new delivery. */
    public void heartbeat(String consumer, Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return;
        }
        RecordId[] ids = messageIds.stream().map(RecordId::of).toArray(RecordId[]::new);
        redis.execute((RedisCallback<Object>) connection -> connection.streamCommands().xClaimJustId(
                RedisKeys.QUEUE.getBytes(), RedisKeys.QUEUE_GROUP, consumer,
                XClaimOptions.minIdle(Duration.ZERO).ids(ids)));
    }

    /** Removes a finished delivery for good. */
    public void acknowledge(String messageId) {
        redis.opsForStream().acknowledge(RedisKeys.QUEUE, RedisKeys.QUEUE_GROUP, messageId);
        redis.opsForStream().delete(RedisKeys.QUEUE, messageId);
    }

    /** Jobs waiting or running: entries still in the stream. */
    public long depth() {
        Long size = redis.opsForStream().size(RedisKeys.QUEUE);
        return size == null ? 0 : size;
    }

    /** An entry nobody can read would be reclaimed forever: it is logged and dropped instead. */
    private void addReadable(List<JobDelivery> into, MapRecord<String, Object, Object> record, long deliveryCount) {
        try {
            into.add(toDelivery(record, deliveryCount));
        } catch (IllegalStateException e) {
            log.error("Dropping unreadable queue entry {}", record.getId(), e);
            acknowledge(record.getId().getValue());
        }
    }

    private JobDelivery toDelivery(MapRecord<String, Object, Object> record, long deliveryCount) {
        Map<Object, Object> fields = record.getValue();
        try {
            List<String> inputs = json.readValue(String.valueOf(fields.get("inputs")), STRING_LIST);
            return new JobDelivery(record.getId().getValue(), String.valueOf(fields.get("job_id")), inputs,
                    deliveryCount);
        } catch (Exception e) {
            throw new IllegalStateException("Unreadable queue entry " + record.getId(), e);
        }
    }
}
