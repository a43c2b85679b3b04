package clients;

import com.google.genai.Client;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.ImageConfig;
import com.google.genai.types.Part;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Panel One's one door to Gemini: the story call and the panel call, each retried on the same model only.
 *
 * <p>Transient failures (408, 429, 5xx, IO errors, attempt timeouts) are retried here with capped, jittered
 * exponential backoff, honouring the server's {@code Retry-After}; each attempt is bounded by the per-call
 * timeout and by the deadline. A {@link ModelCallException} leaving this class is final for the job: callers
 * should not retry it again. There is no fallback to any other model.
 */
public final class GeminiGateway {

    public static final String STORY_MODEL = "gemini-3-pro-preview";
    public static final String IMAGE_MODEL = "gemini-3-pro-image-preview";

    /**
     * Retry and timeout settings.
     *
     * @param maxAttempts calls per model call, the first one included
     * @param initialBackoff wait before the first retry, doubled each time (with jitter)
     * @param maxBackoff cap on any wait, a server's Retry-After included
     * @param callTimeout cap on one attempt, connecting and reading included
     */
    public record Settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration callTimeout) {

        public static final Settings DEFAULTS =
                new Settings(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(240));

        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            Objects.requireNonNull(initialBackoff, "initialBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
                throw new IllegalArgumentException("callTimeout must be positive, was " + callTimeout);
            }
        }
    }

    private static final Logger log = LoggerFactory.getLogger(GeminiGateway.class);

    private final Client client;
    private final Retrier retrier;

    public GeminiGateway(Client client, Settings settings) {
        this(client, settings, GatewayListener.NONE);
    }

    public GeminiGateway(Client client, Settings settings, GatewayListener listener) {
        this.client = Objects.requireNonNull(client, "client");
        this.retrier = new Retrier(Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(listener, "listener"));
    }

    /** Asks the text model for a story about the photos; thought parts are left out of the text. */
    public Story writeStory(String prompt, List<InputImage> images, Instant deadline) {
        Content content = content(List.of(Part.fromText(prompt)), images);
        Retrier.Outcome<Answer<String>> outcome = retrier.call(STORY_MODEL, deadline, timeout -> {
            GenerateContentResponse response = client.models.generateContent(STORY_MODEL, content,
                    GenerateContentConfig.builder().httpOptions(timeout(timeout)).build());
            return new Answer<>(ModelAnswers.story(STORY_MODEL, response), TokenUsage.of(response));
        });
        log.info("{} wrote a {}-character story in {} ms ({} attempts)", STORY_MODEL,
                outcome.value().value().length(), outcome.elapsed().toMillis(), outcome.attempts());
        return new Story(outcome.value().value(), outcome.value().usage(), outcome.elapsed(), outcome.attempts());
    }

    /** Asks the image model for one 16:9, 2K panel drawn from the photos with the story as its script. */
    public Panel drawPanel(String prompt, String story, List<InputImage> images, Instant deadline) {
        Content content = content(List.of(Part.fromText(prompt), Part.fromText(story)), images);
        Retrier.Outcome<Answer<ModelAnswers.Image>> outcome = retrier.call(IMAGE_MODEL, deadline, timeout -> {
            GenerateContentResponse response = client.models.generateContent(IMAGE_MODEL, content,
                    GenerateContentConfig.builder()
                            .responseModalities("TEXT", "IMAGE")
                            .imageConfig(ImageConfig.builder().aspectRatio("16:9").imageSize("2K"))
                            .httpOptions(timeout(timeout))
                            .build());
            return new Answer<>(ModelAnswers.finalImage(IMAGE_MODEL, response), TokenUsage.of(response));
        });
        ModelAnswers.Image image = outcome.value().value();
        log.info("{} drew a {}-byte {} in {} ms ({} attempts)", IMAGE_MODEL, image.bytes().length,
                image.mimeType(), outcome.elapsed().toMillis(), outcome.attempts());
        return new Panel(image.bytes(), image.mimeType(), outcome.value().usage(), outcome.elapsed(),
                outcome.attempts());
    }

    /** The SDK turns a per-request timeout into OkHttp's callTimeout for that one call. */
    private static HttpOptions timeout(Duration timeout) {
        return HttpOptions.builder().timeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
                .build();
    }

    private static Content content(List<Part> texts, List<InputImage> images) {
        List<Part> parts = new ArrayList<>(texts);
        images.forEach(image -> parts.add(Part.fromBytes(image.bytes(), image.mimeType())));
        return Content.fromParts(parts.toArray(Part[]::new));
    }

    /** What one successful attempt produced. */
    private record Answer<T>(T value, TokenUsage usage) {
    }
}
