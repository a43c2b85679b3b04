package redisstream;

/**
 * One entry in the hands of a consumer, as the route sees it through {@link RedisStreamConstants#DELIVERY}. The
 * consumer flags it when it hands the entry back on stop, or when its heartbeat finds another consumer took it.
 */
public final class StreamDelivery {
    private final String messageId;
    private final long number;
    private volatile boolean handedBack;
    private volatile boolean lost;

    StreamDelivery(String messageId, long number) {
        this.messageId = messageId;
        this.number = number;
    }

    public String messageId() {
        return messageId;
    }

    /** Redis's delivery counter for this delivery; see {@link RedisStreamConstants#DELIVERY_NUMBER}. */
    public long number() {
        return number;
    }

    /** True once the stopping consumer gave the entry back: another consumer may be running it already. */
    public boolean handedBack() {
        return handedBack;
    }

    /** True once a heartbeat found the entry claimed by another consumer. */
    public boolean lost() {
        return lost;
    }

    /** Whether this delivery should stop changing anything: handed back or lost. */
    public boolean superseded() {
        return handedBack || lost;
    }

    void markHandedBack() {
        handedBack = true;
    }

    void markLost() {
        lost = true;
    }
}
