package jobs;

import java.util.List;

/**
 * One delivery of a queued job to a worker. {@code deliveryNumber} is the queue's own delivery counter, which only
 * grows: the job record remembers the highest number that claimed it, so an older delivery can never take the job
 * back from a newer one.
 */
public record JobDelivery(String messageId, String jobId, List<String> inputs, long deliveryNumber) {
    /** Unique per delivery: the token status writes are fenced by. */
    public String owner() {
        return messageId + "#" + deliveryNumber;
    }
}
