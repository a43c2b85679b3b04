package jobs;

/** The states of a job, in the order a job walks them (docs/API.md, "Job statuses"). */
public enum JobStatus {
    QUEUED,
    PROCESSING_IMAGES,
    GENERATING_STORY,
    GENERATING_IMAGE,
    UPLOADING,
    COMPLETED,
    FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }
}
