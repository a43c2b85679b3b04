package clients;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls one model again on transient failures, with capped, jittered backoff, never past the deadline. */
final class Retrier {

    /** One call to the model, bounded by the timeout it is given. */
    @FunctionalInterface
    interface Attempt<T> {
        T call(Duration timeout);
    }

    /** The answer and what it took to get it. */
    record Outcome<T>(T value, int attempts, Duration elapsed) {
    }

    private static final Logger log = LoggerFactory.getLogger(Retrier.class);

    private final GeminiGateway.Settings settings;
    private final GatewayListener listener;

    Retrier(GeminiGateway.Settings settings, GatewayListener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    /** Attempts bounded by {@code attemptTimeout} (and by what is left until the deadline). */
    <T> Outcome<T> call(String model, Instant deadline, Duration attemptTimeout, Attempt<T> attempt) {
        Instant start = Instant.now();
        ModelCallException last = null;
        for (int n = 1; ; n++) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw deadlineReached(model, start, n - 1, last);
            }
            Duration timeout = min(attemptTimeout, left);
            long began = System.nanoTime();
            try {
                RetryAfterCapture.clear();
                T value = attempt.call(timeout);
                listener.attemptFinished(model, n, Duration.ofNanos(System.nanoTime() - began), null);
                return new Outcome<>(value, n, Duration.between(start, Instant.now()));
            } catch (RuntimeException e) {
                last = ModelErrors.from(model, e, timeout);
                listener.attemptFinished(model, n, Duration.ofNanos(System.nanoTime() - began), last);
            }
            if (!last.isTransient()) {
                throw last;
            }
            if (n >= settings.maxAttempts()) {
                String message = model + " failed after " + n + " attempts: " + last.reason();
                throw new ModelCallException(model, true, last.httpStatus(), null, message, last.reason(), last);
            }
            Duration delay = delay(n, last);
            if (!Instant.now().plus(delay).isBefore(deadline)) {
                throw deadlineReached(model, start, n, last);
            }
            log.warn("{} attempt {} failed, retrying in {} ms: {}", model, n, delay.toMillis(), last.getMessage());
            sleep(model, delay);
        }
    }

    /** Retry-After when the server sent one, else exponential from the initial backoff with equal jitter. */
    Duration delay(int failedAttempts, ModelCallException failure) {
        Duration max = settings.maxBackoff();
        if (failure.retryAfter().isPresent()) {
            return min(failure.retryAfter().get(), max);
        }
        double exponential = settings.initialBackoff().toMillis() * Math.pow(2, failedAttempts - 1);
        double capped = Math.min(exponential, max.toMillis());
        double jittered = capped / 2 + ThreadLocalRandom.current().nextDouble() * capped / 2;
        return Duration.ofMillis(Math.round(jittered));
    }

    private static ModelCallException deadlineReached(String model, Instant start, int attempts,
            ModelCallException last) {
        String reason = "timed out after " + ModelErrors.seconds(Duration.between(start, Instant.now())) + " s";
        String message = model + " " + reason + ": the job's deadline was reached after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + (last == null ? "" : "; last error: " + last.reason());
        return new ModelCallException(model, false, last == null ? null : last.httpStatus(), null, message, reason,
                last);
    }

    private static void sleep(String model, Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ModelCallException.permanent(model, null, model + " call was interrupted while waiting to retry");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
