package clients;

import java.time.Duration;
import java.util.Optional;

/** A Gemini call that failed, with a message a user can read; the gateway has already retried what it could. */
public class ModelCallException extends RuntimeException {

    private final String model;
    private final boolean transientFailure;
    private final Integer httpStatus;
    private final transient Duration retryAfter;
    private final String reason;

    ModelCallException(String model, boolean transientFailure, Integer httpStatus, Duration retryAfter,
            String message, String reason, Throwable error) {
        super(message, error);
        this.model = model;
        this.reason = reason;
        this.transientFailure = transientFailure;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    /** A failure that will not go away by asking again (bad request, safety block, no image, deadline). */
    static ModelCallException permanent(String model, Integer httpStatus, String message) {
        return new ModelCallException(model, false, httpStatus, null, message, message, null);
    }

    /** The model id the failed call went to. */
    public String model() {
        return model;
    }

    /** True when asking again later could succeed (429, 5xx, IO errors, attempt timeouts). */
    public boolean isTransient() {
        return transientFailure;
    }

    /** Gemini's HTTP status, or null when no response came back or the 200 answer was unusable. */
    public Integer httpStatus() {
        return httpStatus;
    }

    /** What went wrong without the model id, e.g. "503 UNAVAILABLE — overloaded", to nest in another message. */
    String reason() {
        return reason;
    }

    /** How long the server asked us to wait before trying again, if it said. */
    Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
