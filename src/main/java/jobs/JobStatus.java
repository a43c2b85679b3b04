package jobs;

/** The states of a job, in the order SPEC §1 walks them. */
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
