package redisstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scripting.support.ResourceScriptSource;

/**
 * The Redis commands of one stream and consumer group. Everything that must check who holds an entry before
 * changing it runs as a Lua script, so a check and its change cannot be split by another consumer.
 */
final class StreamCommands {
    /** Idle time given to a handed-back entry: beyond any consumer's min-idle. */
    static final Duration HANDED_BACK_IDLE = Duration.ofDays(30);

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> AUTOCLAIM = script("autoclaim.lua", List.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> HEARTBEAT = script("heartbeat.lua", List.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> RELEASE = script("release.lua", List.class);
    private static final RedisScript<Long> ACK = script("ack.lua", Long.class);

    private final StringRedisTemplate redis;
    private final String stream;
    private final String handOffs;
    private final String group;
    private final String consumer;

    StreamCommands(StringRedisTemplate redis, String stream, String group, String consumer) {
        this.redis = redis;
        this.stream = stream;
        this.handOffs = stream + ":handoffs";
        this.group = group;
        this.consumer = consumer;
    }

    /** What one XAUTOCLAIM pass found: the entries now ours, where the next pass starts, entries found deleted. */
    record Claimed(String cursor, List<StreamEntry> entries, List<String> deleted) {}

    /** Creates the group (and the stream) if missing, reading from the start so nothing enqueued earlier is missed. */
    void ensureGroup() {
        try {
            redis.opsForStream().createGroup(stream, ReadOffset.from("0"), group);
        } catch (RedisSystemException e) {
            if (!String.valueOf(e.getMostSpecificCause().getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** New entries for this consumer, at most {@code count}, waiting up to {@code block} for the first. */
    List<StreamEntry> read(int count, Duration block) {
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().read(
                Consumer.from(group, consumer),
                StreamReadOptions.empty().count(count).block(block),
                StreamOffset.create(stream, ReadOffset.lastConsumed()));
        List<StreamEntry> entries = new ArrayList<>();
        if (records != null) {
            for (MapRecord<String, Object, Object> record : records) {
                Map<String, String> fields = new LinkedHashMap<>();
                record.getValue().forEach((key, value) -> fields.put(String.valueOf(key), String.valueOf(value)));
                entries.add(new StreamEntry(record.getId().getValue(), fields, 1, 0));
            }
        }
        return entries;
    }

    /** One XAUTOCLAIM pass from {@code cursor}, claiming at most {@code count} entries idle for {@code minIdle}. */
    Claimed autoclaim(Duration minIdle, String cursor, int count) {
        List<?> reply = redis.execute(AUTOCLAIM, List.of(stream, handOffs), group, consumer,
                Long.toString(minIdle.toMillis()), cursor, Integer.toString(count));
        List<StreamEntry> entries = new ArrayList<>();
        for (Object item : (List<?>) reply.get(1)) {
            List<?> entry = (List<?>) item;
            List<?> flat = (List<?>) entry.get(3);
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                fields.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
            }
            entries.add(new StreamEntry(String.valueOf(entry.get(0)), fields, number(entry.get(1)),
                    number(entry.get(2))));
        }
        return new Claimed(String.valueOf(reply.get(0)), entries, strings((List<?>) reply.get(2)));
    }

    /** Keeps the entries this consumer holds from looking idle; answers those another consumer has taken. */
    List<String> heartbeat(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return strings(redis.execute(HEARTBEAT, List.of(stream), args(List.of(group, consumer), ids)));
    }

    /** Hands entries back for another consumer to claim at once, without counting a delivery; answers those given. */
    List<String> release(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return strings(redis.execute(RELEASE, List.of(stream, handOffs),
                args(List.of(group, consumer, Long.toString(HANDED_BACK_IDLE.toMillis())), ids)));
    }

    void acknowledge(String id, boolean delete) {
        redis.execute(ACK, List.of(stream, handOffs), group, id, delete ? "1" : "0");
    }

    private static Object[] args(List<String> first, Collection<String> rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(rest);
        return all.toArray();
    }

    private static List<String> strings(List<?> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            values.forEach(value -> out.add(String.valueOf(value)));
        }
        return out;
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
    }

    private static <T> RedisScript<T> script(String name, Class<T> type) {
        DefaultRedisScript<T> script = new DefaultRedisScript<>();
        script.setScriptSource(new ResourceScriptSource(new ClassPathResource("redisstream/" + name)));
        script.setResultType(type);
        return script;
    }
}
