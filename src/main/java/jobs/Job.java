package jobs;

import java.util.List;

/**
 * A job as stored in Redis. {@code version} grows by one on every status change. {@code storyModel} and
 * {@code imageModel} name the models the job runs with (set when a worker first starts it); they stay in the
 * record for tracing and are not part of the public JSON.
 */
public record Job(
        String jobId,
        JobStatus status,
        String errorMessage,
        String imageUrl,
        String story,
        String createdAt,
        String updatedAt,
        List<String> inputs,
        String storyModel,
        String imageModel,
        long version) {

    public JobView view() {
        JobView.Result result = status == JobStatus.COMPLETED ? new JobView.Result(imageUrl, story) : null;
        return new JobView(jobId, status, errorMessage, result, createdAt, updatedAt);
    }
}
