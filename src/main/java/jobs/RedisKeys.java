package jobs;

/** Every Redis key and channel Panel One uses, in one place. */
public final class RedisKeys {
    public static final String QUEUE = "panel:queue";
    public static final String QUEUE_GROUP = "panel-workers";
    public static final String HISTORY = "panel:jobs";
    public static final String DEAD_LETTERS = "panel:dead";
    public static final String EVENTS_CHANNEL = "panel:events";

    private RedisKeys() {}

    public static String job(String jobId) {
        return "panel:job:" + jobId;
    }

    public static String idempotency(String key) {
        return "panel:idem:" + key;
    }
}
