package redisstream;

import java.util.Map;

/** An entry as read or claimed: its id, fields, Redis's delivery number and how many deliveries were handed back. */
record StreamEntry(String id, Map<String, String> fields, long deliveryNumber, long handOffs) {
    /** Deliveries that count as attempts: hand-offs of stopping consumers are not failures. */
    long deliveryCount() {
        return Math.max(1, deliveryNumber - handOffs);
    }
}
