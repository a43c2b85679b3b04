package clients;

import java.time.Duration;

/**
 * The story the text model wrote.
 *
 * @param text the answer without thought parts, trimmed
 * @param usage tokens of the successful attempt
 * @param duration wall time from the first attempt to the answer, backoff included
 * @param attempts how many calls it took
 */
public record Story(String text, TokenUsage usage, Duration duration, int attempts) {
}
