package redisstream;

/** Header and exchange property names the {@code redis-stream} consumer sets and reads. */
public final class RedisStreamConstants {
    /** Header: the stream key the entry came from. */
    public static final String STREAM = "CamelRedisStreamKey";
    /** Header: the entry id. */
    public static final String MESSAGE_ID = "CamelRedisStreamMessageId";
    /**
     * Header ({@code long}): how many deliveries of this entry count as attempts, this one included. Hand-offs of a
     * stopping consumer do not count, so this is what a dead-letter decision compares with its maximum.
     */
    public static final String DELIVERY_COUNT = "CamelRedisStreamDeliveryCount";
    /**
     * Header ({@code long}): Redis's own delivery counter, this one included. It only ever grows, also across
     * hand-offs, so a newer delivery always has a larger number: fit for fencing out an older one.
     */
    public static final String DELIVERY_NUMBER = "CamelRedisStreamDeliveryNumber";
    /** Exchange property: the {@link StreamDelivery} handle, saying whether the entry was handed back or lost. */
    public static final String DELIVERY = "CamelRedisStreamDelivery";
    /**
     * Exchange property ({@code boolean}): set true by the route to leave the entry pending when the exchange
     * completes, e.g. when another delivery now owns the work. An exchange that ends with an exception is never
     * acknowledged either.
     */
    public static final String KEEP_PENDING = "CamelRedisStreamKeepPending";

    private RedisStreamConstants() {}
}
