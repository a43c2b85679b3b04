package clients;

import java.time.Duration;

/** Hears about every Gemini call attempt, e.g. to record metrics. */
@FunctionalInterface
public interface GatewayListener {

    GatewayListener NONE = (model, attempt, took, failure) -> { };

    /**
     * One HTTP attempt finished.
     *
     * @param attempt 1 for the first call, 2 for the first retry, …
     * @param failure why it failed, or null when it succeeded
     */
    void attemptFinished(String model, int attempt, Duration took, ModelCallException failure);
}
