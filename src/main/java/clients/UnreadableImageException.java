package clients;

import java.io.IOException;

/**
 * An image in a successful Gemini answer that cannot be decoded (its base64 cut short or invalid). An IOException so
 * that it leaves the HTTP call it was found in; {@link ModelErrors} turns it into a failure that says so, not retried:
 * the answer arrived whole, and asking again would pay for another image.
 */
final class UnreadableImageException extends IOException {

    private final String detail;

    UnreadableImageException(String detail) {
        super("the image in Gemini's answer could not be decoded: " + detail);
        this.detail = detail;
    }

    /** What is wrong with it, e.g. "its base64 was cut short (…)"; no byte of the answer is quoted. */
    String detail() {
        return detail;
    }
}
