package jobs;

/** A failure whose message is already the reason a user should read in {@code error_message}. */
public class JobFailure extends RuntimeException {
    public JobFailure(String reason) {
        super(reason);
    }

    public JobFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}
