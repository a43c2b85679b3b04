package clients;

import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.types.GetModelConfig;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Model;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Asks Gemini ({@code models.get}, through the SDK) whether each configured model exists and supports
 * {@code generateContent}: the check the worker runs before it serves and every few minutes after, and that
 * {@code setup} reports. Never throws; every outcome is a {@link Result}.
 */
public final class ModelCheck {

    /** The method Panel One calls on both models. */
    static final String GENERATE_CONTENT = "generateContent";
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

    /** What one lookup found. */
    public enum Status {
        /** The model exists and lists generateContent. */
        SERVED,
        /** Google answered 404 NOT_FOUND: shut down, or never an id. */
        NOT_FOUND,
        /** The model exists but does not offer generateContent. */
        NO_GENERATE_CONTENT,
        /** Google refused the lookup itself (an invalid key, say): nothing to learn about the model. */
        REFUSED,
        /** No answer (network, timeout, 429, 5xx): try again later. */
        UNREACHABLE
    }

    /**
     * One model's outcome.
     *
     * @param answer what Google said, in a form fit for a log line (never the API key)
     */
    public record Result(ModelRole role, String model, Status status, String answer, Exception error) {

        public boolean served() {
            return status == Status.SERVED;
        }

        /** A definite no from Google about this model (not an outage, not a bad key). */
        public boolean modelUnusable() {
            return status == Status.NOT_FOUND || status == Status.NO_GENERATE_CONTENT;
        }

        /** The line an operator reads: the model, Google's answer and what to change. */
        public String describe() {
            return switch (status) {
                case SERVED -> role.variable() + "=" + model + " is served and supports generateContent";
                case NOT_FOUND, NO_GENERATE_CONTENT -> role.variable() + "=" + model + " cannot be used: Google "
                        + "answered " + answer + "; set " + role.variable() + " to a model Google serves (see the"
                        + " Gemini API deprecations page) and restart";
                case REFUSED -> role.variable() + "=" + model + " could not be checked: Google refused the lookup ("
                        + answer + "); check GEMINI_API_KEY";
                case UNREACHABLE -> role.variable() + "=" + model + " could not be checked: Gemini did not answer ("
                        + answer + ")";
            };
        }
    }

    private final Client client;
    private final Duration timeout;
    private final String secret;

    /**
     * @param secret the API key, removed from any text Google sends back before it is logged or shown
     */
    public ModelCheck(Client client, Duration timeout, String secret) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.secret = secret;
    }

    /** Both stages' models, story first. */
    public List<Result> check(GeminiModels models) {
        List<Result> results = new ArrayList<>();
        for (ModelRole role : ModelRole.values()) {
            results.add(check(role, models.of(role)));
        }
        return results;
    }

    public Result check(ModelRole role, String model) {
        try {
            Model found = client.models.get(model, GetModelConfig.builder().httpOptions(HttpOptions.builder()
                    .timeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())).build()).build());
            List<String> actions = found.supportedActions().orElse(List.of());
            if (actions.contains(GENERATE_CONTENT)) {
                return new Result(role, model, Status.SERVED, "served, supports " + String.join(", ", actions), null);
            }
            return new Result(role, model, Status.NO_GENERATE_CONTENT,
                    "models.get lists no generateContent (supported: " + String.join(", ", actions) + ")", null);
        } catch (ApiException e) {
            String answer = e.code() + " " + e.status() + ": " + redact(firstLine(e.message()));
            if (e.code() == 404) {
                return new Result(role, model, Status.NOT_FOUND, answer, e);
            }
            return new Result(role, model, TRANSIENT_STATUSES.contains(e.code()) ? Status.UNREACHABLE : Status.REFUSED,
                    answer, e);
        } catch (RuntimeException e) {
            // GenAiIOException and whatever else the transport throws: no answer from Gemini.
            return new Result(role, model, Status.UNREACHABLE, redact(rootMessage(e)), e);
        }
    }

    private String redact(String text) {
        return secret == null || secret.isBlank() ? text : text.replace(secret, "[redacted]");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).trim();
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
