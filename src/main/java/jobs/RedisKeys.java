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

    /**
     * An Idempotency-Key as one client used it: another client's key of the same name is a different key, so
     * nobody learns a job id by guessing someone else's key. {@code scope} is the client as the limits count it
     * (its token, or its address when it has none), so clients without a token do not share one namespace either.
     */
    public static String idempotency(String scope, String key) {
        return "panel:idem:" + (scope == null ? "-" : scope) + ":" + key;
    }

    /** The jobs one client (token hash) created, for its GET /jobs. */
    public static String history(String owner) {
        return "panel:jobs:" + owner;
    }

    /** Jobs one client started in the rolling hour. */
    public static String clientWindow(String limitKey) {
        return "panel:limit:client:" + limitKey;
    }

    /** Jobs the deployment accepted on one UTC day ({@code yyyy-MM-dd}). */
    public static String dayCount(String day) {
        return "panel:limit:day:" + day;
    }
}
