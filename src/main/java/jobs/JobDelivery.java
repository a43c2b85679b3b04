package jobs;

import java.util.List;

/**
 * One delivery of a queued job to a worker. {@code owner} is unique per delivery, so a job reclaimed from a
 * dead worker is fenced from the one that lost it.
 */
public record JobDelivery(String messageId, String jobId, List<String> inputs, long deliveryCount) {
    public String owner() {
        return messageId + "#" + deliveryCount;
    }
}
