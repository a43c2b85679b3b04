package clients;

import failures.Causes;
import com.google.genai.errors.ApiException;
import com.google.genai.errors.GenAiIOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what the SDK throws into a {@link ModelCallException} that says what happened and if it may pass. */
final class ModelErrors {

    /** The statuses Google documents as worth retrying (and the SDK's own retry list). */
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 429, 500, 502, 503, 504);
    /** google.rpc.RetryInfo, which the SDK appends to the message as {@code Details: {…}}. */
    /** A Files API name, which Google's "permission denied" quotes when an uploaded photo is gone; not a secret. */
    private static final Pattern FILE_NAME = Pattern.compile("files/[a-z0-9][a-z0-9-]*");
    private static final Pattern RETRY_DELAY = Pattern.compile("\"retryDelay\"\\s*:\\s*\"(\\d+(?:\\.\\d+)?)s\"");

    private ModelErrors() {
    }

    static ModelCallException from(String model, RuntimeException error, Duration attemptTimeout) {
        if (error instanceof ModelCallException known) {
            return known;
        }
        if (error instanceof ApiException api) {
            return fromApi(model, api);
        }
        if (error instanceof GenAiIOException io) {
            Optional<UnreadableImageException> unreadable = Causes.find(io, UnreadableImageException.class);
            if (unreadable.isPresent()) {
                return ModelCallException.permanent(model, 200,
                        model + " returned an image that could not be decoded: " + unreadable.get().detail());
            }
            if (Causes.has(io, InterruptedIOException.class)) {
                String reason = "timed out after " + seconds(attemptTimeout) + " s";
                return new ModelCallException(model, true, null, null, model + " " + reason, reason, io);
            }
            String reason = "could not be reached: " + rootMessage(io);
            return new ModelCallException(model, true, null, null, model + " " + reason, reason, io);
        }
        return new ModelCallException(model, false, null, null, model + " call failed: " + error, error.toString(),
                error);
    }

    /** "12 s", "0.3 s": whole seconds when whole, else one decimal. */
    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    private static ModelCallException fromApi(String model, ApiException api) {
        int code = api.code();
        boolean transientFailure = TRANSIENT_STATUSES.contains(code);
        // Google's own text stays out: it can quote the API key ("Consumer 'api_key:AIza…' has been suspended") and
        // means little to a user. It is logged with the exception (redacted); the user reads what it means.
        Matcher file = FILE_NAME.matcher(api.message() == null ? "" : api.message());
        String what = code + " " + api.status() + " — "
                + (code == 403 && file.find() ? "Gemini no longer has the uploaded photo " + file.group() : meaning(code));
        String message;
        if (code == 429) {
            message = model + " is rate limited: " + what;
        } else if (transientFailure || code >= 500) {
            message = model + " failed: " + what;
        } else {
            message = model + " refused the request: " + what;
        }
        Duration retryAfter = RetryAfterCapture.take().or(() -> retryInfo(api.message())).orElse(null);
        return new ModelCallException(model, transientFailure, code, retryAfter, message, what, api);
    }

    private static Optional<Duration> retryInfo(String message) {
        Matcher delay = RETRY_DELAY.matcher(message == null ? "" : message);
        if (!delay.find()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(delay.group(1)) * 1000)));
    }

    /** What a Gemini error status means, in words a user understands. */
    static String meaning(int code) {
        return switch (code) {
            case 400 -> "Gemini could not accept this request (for example a photo it cannot use)";
            case 401, 403 -> "Gemini refused this service's access (its API key may be invalid, suspended or not"
                    + " allowed to use this model); the service's operator has to fix it";
            case 404 -> "Gemini does not know this model (it may have been retired); the service's operator has to"
                    + " configure another one";
            case 408, 504 -> "Gemini did not answer in time";
            case 413 -> "the request was too large for Gemini";
            case 429 -> "Gemini's quota for this service is used up for now";
            default -> code >= 500 ? "Gemini had a temporary problem" : "Gemini refused the request";
        };
    }


    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
