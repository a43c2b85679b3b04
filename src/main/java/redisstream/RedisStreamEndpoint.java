package redisstream;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.springframework.data.redis.core.StringRedisTemplate;

/** A Redis Stream read through a consumer group; consumer only. Durations are in milliseconds. */
@UriEndpoint(scheme = "redis-stream", title = "Redis Stream consumer group", syntax = "redis-stream:stream",
        consumerOnly = true, category = Category.MESSAGING, headersClass = RedisStreamConstants.class)
public class RedisStreamEndpoint extends DefaultEndpoint {
    private final StringRedisTemplate redis;

    @UriPath(description = "The stream key") @Metadata(required = true)
    private final String stream;
    @UriParam(description = "The consumer group; created (from the stream's start) when missing") @Metadata(required = true)
    private String group;
    @UriParam(description = "This consumer's name in the group; default: pid@host plus a random suffix")
    private String consumerName;
    @UriParam(description = "Entries in flight at once; no more are read or claimed while all slots are taken",
            defaultValue = "10")
    private int maxInFlight = 10;
    @UriParam(description = "How long one XREADGROUP waits for a new entry", defaultValue = "1000")
    private long block = 1000;
    @UriParam(description = "An entry idle this long (its consumer stopped heart-beating) is claimed by another",
            defaultValue = "60000")
    private long reclaimAfter = 60_000;
    @UriParam(description = "How often the entries in hand are marked alive; well under reclaimAfter",
            defaultValue = "15000")
    private long heartbeatInterval = 15_000;
    @UriParam(description = "How often to look for idle entries while a slot is free", defaultValue = "1000")
    private long reclaimInterval = 1000;
    @UriParam(description = "On stop, how long entries in flight may take to finish before they are handed back",
            defaultValue = "5000")
    private long handBackAfter = 5000;
    @UriParam(description = "Reads and claims only while this answers true (e.g. a readiness gate); checked before"
            + " every read")
    private BooleanSupplier readyWhen = () -> true;
    @UriParam(description = "Delete an entry from the stream once acknowledged (the stream then holds only open work)",
            defaultValue = "false")
    private boolean deleteOnAck;

    RedisStreamEndpoint(String uri, RedisStreamComponent component, String stream, StringRedisTemplate redis) {
        super(uri, component);
        this.stream = stream;
        this.redis = redis;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("redis-stream is a consumer; enqueue with XADD");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("redis-stream:" + stream + " needs a group");
        }
        if (maxInFlight < 1 || heartbeatInterval >= reclaimAfter) {
            throw new IllegalArgumentException("redis-stream:" + stream
                    + " needs maxInFlight >= 1 and heartbeatInterval < reclaimAfter");
        }
        String name = consumerName != null && !consumerName.isBlank() ? consumerName
                : ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        RedisStreamConsumer consumer = new RedisStreamConsumer(this, processor,
                new StreamCommands(redis, stream, group, name), name);
        configureConsumer(consumer);
        return consumer;
    }

    public String getStream() { return stream; }
    public String getGroup() { return group; }
    public void setGroup(String group) { this.group = group; }
    public String getConsumerName() { return consumerName; }
    public void setConsumerName(String consumerName) { this.consumerName = consumerName; }
    public int getMaxInFlight() { return maxInFlight; }
    public void setMaxInFlight(int maxInFlight) { this.maxInFlight = maxInFlight; }
    public long getBlock() { return block; }
    public void setBlock(long block) { this.block = block; }
    public long getReclaimAfter() { return reclaimAfter; }
    public void setReclaimAfter(long reclaimAfter) { this.reclaimAfter = reclaimAfter; }
    public long getHeartbeatInterval() { return heartbeatInterval; }
    public void setHeartbeatInterval(long heartbeatInterval) { this.heartbeatInterval = heartbeatInterval; }
    public long getReclaimInterval() { return reclaimInterval; }
    public void setReclaimInterval(long reclaimInterval) { this.reclaimInterval = reclaimInterval; }
    public long getHandBackAfter() { return handBackAfter; }
    public void setHandBackAfter(long handBackAfter) { this.handBackAfter = handBackAfter; }
    public BooleanSupplier getReadyWhen() { return readyWhen; }
    public void setReadyWhen(BooleanSupplier readyWhen) { this.readyWhen = readyWhen; }
    public boolean isDeleteOnAck() { return deleteOnAck; }
    public void setDeleteOnAck(boolean deleteOnAck) { this.deleteOnAck = deleteOnAck; }

    Duration blockDuration() { return Duration.ofMillis(block); }
    Duration reclaimAfterDuration() { return Duration.ofMillis(reclaimAfter); }
}
