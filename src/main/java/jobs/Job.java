package jobs;

import java.util.List;

/** A job as stored in Redis. {@code version} grows by one on every status change. */
public record Job(
        String jobId,
        JobStatus status,
        String errorMessage,
        String imageUrl,
        String story,
        String createdAt,
        String updatedAt,
        List<String> inputs,
        long version) {

    public JobView view() {
        JobView.Result result = status == JobStatus.COMPLETED ? new JobView.Result(imageUrl, story) : null;
        return new JobView(jobId, status, errorMessage, result, createdAt, updatedAt);
    }
}
