package ingest;

/** Redis or storage cannot be reached right now: the caller gets 503 and may try again. */
public class ServiceUnavailableException extends RuntimeException {
    public ServiceUnavailableException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
