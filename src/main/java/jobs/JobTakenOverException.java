package jobs;

/** This delivery may no longer change the job: it ended already, or a newer delivery owns it. */
public class JobTakenOverException extends RuntimeException {
    public JobTakenOverException(String jobId) {
        super("Job " + jobId + " is no longer owned by this delivery");
    }
}
