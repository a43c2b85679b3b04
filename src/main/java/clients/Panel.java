package clients;

import java.time.Duration;

/**
 * The panel the image model drew.
 *
 * @param bytes the final (non-thought) image
 * @param mimeType its type, {@code image/png} from Gemini 3 Pro Image
 * @param usage tokens of the successful attempt
 * @param duration wall time from the first attempt to the answer, backoff included
 * @param attempts how many calls it took
 */
public record Panel(byte[] bytes, String mimeType, TokenUsage usage, Duration duration, int attempts) {

    @Override
    public String toString() {
        return "Panel[" + mimeType + ", " + bytes.length + " bytes, " + usage + ", " + duration
                + ", attempts=" + attempts + "]";
    }
}
