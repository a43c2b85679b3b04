package emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;

/** A scripted outcome the emulator plays instead of (or before) a normal answer. */
public final class Fault {

    /** What kind of misbehaviour a fault plays. */
    public enum Kind {
        STATUS, RATE_LIMITED, UNAVAILABLE, HANG, PROMPT_BLOCKED, FINISH_REASON, NO_IMAGE, BROKEN_IMAGE
    }

    private final Kind kind;
    private final int code;
    private final String status;
    private final String text;
    private final Duration duration;

    private Fault(Kind kind, int code, String status, String text, Duration duration) {
        this.kind = kind;
        this.code = code;
        this.status = status;
        this.text = text;
        this.duration = duration;
    }

    /** An HTTP error in Google's format, e.g. {@code status(503, "UNAVAILABLE", "The model is overloaded.")}. */
    public static Fault status(int code, String status, String message) {
        return new Fault(Kind.STATUS, code, status, message, Duration.ZERO);
    }

    /** 429 RESOURCE_EXHAUSTED with a {@code Retry-After} header and a RetryInfo detail, as Google sends. */
    public static Fault rateLimited(Duration retryAfter) {
        return new Fault(Kind.RATE_LIMITED, 429, "RESOURCE_EXHAUSTED",
                "Resource has been exhausted (e.g. check quota).", retryAfter);
    }

    /** 503 UNAVAILABLE carrying only a {@code Retry-After} header, as proxies and load balancers send. */
    public static Fault unavailable(Duration retryAfter) {
        return new Fault(Kind.UNAVAILABLE, 503, "UNAVAILABLE",
                "The model is overloaded. Please try again later.", retryAfter);
    }

    /** Sleeps this long, then answers normally: lets clients hit their timeouts. */
    public static Fault hang(Duration duration) {
        return new Fault(Kind.HANG, 200, null, null, duration);
    }

    /** 200 with {@code promptFeedback.blockReason} and no candidates. */
    public static Fault promptBlocked(String reason) {
        return new Fault(Kind.PROMPT_BLOCKED, 200, null, reason, Duration.ZERO);
    }

    /** 200 with one candidate that has this finish reason and no content parts. */
    public static Fault finishReason(String reason) {
        return new Fault(Kind.FINISH_REASON, 200, null, reason, Duration.ZERO);
    }

    /** 200 where the model answers only this text and finishes with STOP. */
    public static Fault noImage(String text) {
        return new Fault(Kind.NO_IMAGE, 200, null, text, Duration.ZERO);
    }

    /** 200 with the usual panel whose base64 lacks its last character, as an answer cut short would. */
    public static Fault brokenImage() {
        return new Fault(Kind.BROKEN_IMAGE, 200, null, null, Duration.ZERO);
    }

    /**
     * Reads the control API's JSON form: {@code {"type":"status","code":503,"status":"UNAVAILABLE","message":"…"}},
     * {@code {"type":"rateLimited","retryAfterMs":2000}}, {@code {"type":"unavailable","retryAfterMs":2000}},
     * {@code {"type":"hang","ms":10000}}, {@code {"type":"promptBlocked","reason":"SAFETY"}},
     * {@code {"type":"finishReason","reason":"IMAGE_SAFETY"}}, {@code {"type":"noImage","text":"…"}},
     * {@code {"type":"brokenImage"}}.
     */
    public static Fault fromJson(JsonNode json) {
        String type = json.path("type").asText("");
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "status" -> status(json.path("code").asInt(500), json.path("status").asText("INTERNAL"),
                    json.path("message").asText("An internal error has occurred."));
            case "ratelimited" -> rateLimited(Duration.ofMillis(json.path("retryAfterMs").asLong(1000)));
            case "unavailable" -> unavailable(Duration.ofMillis(json.path("retryAfterMs").asLong(1000)));
            case "hang" -> hang(Duration.ofMillis(json.path("ms").asLong(60_000)));
            case "promptblocked" -> promptBlocked(json.path("reason").asText("SAFETY"));
            case "finishreason" -> finishReason(json.path("reason").asText("SAFETY"));
            case "noimage" -> noImage(json.path("text").asText("I can't draw that."));
            case "brokenimage" -> brokenImage();
            default -> throw new IllegalArgumentException("unknown fault type: '" + type + "'");
        };
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status the fault answers with. */
    public int code() {
        return code;
    }

    /** Google status name for error faults, else null. */
    public String status() {
        return status;
    }

    /** Error message, block/finish reason or answer text, depending on the kind. */
    public String text() {
        return text;
    }

    /** Retry-After for rate limits, sleep for hangs, else zero. */
    public Duration duration() {
        return duration;
    }

    @Override
    public String toString() {
        return kind + "(" + code + (status == null ? "" : " " + status)
                + (text == null ? "" : ", " + text) + (duration.isZero() ? "" : ", " + duration) + ")";
    }
}
