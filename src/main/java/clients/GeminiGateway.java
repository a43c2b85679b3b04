package clients;

import com.google.genai.Client;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.types.DeleteFileConfig;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.types.File;
import com.google.genai.types.RegisterFilesConfig;
import com.google.genai.types.UploadFileConfig;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.ImageConfig;
import com.google.genai.types.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Panel One's one door to Gemini: the photo uploads, the story call and the panel call, each retried on the same
 * model only.
 *
 * <p>Photos go up once through the Files API and both calls reference them: sent inline, each call carried
 * every photo again as base64 JSON, which the SDK builds through three copies (half of the worker's CPU and
 * about 16 MiB of heap a job in BENCHMARKS.md). The uploads are deleted when the job ends ({@link #delete}).
 *
 * <p>Transient failures (408, 429, 5xx, IO errors, attempt timeouts) are retried here with capped, jittered
 * exponential backoff, honouring the server's {@code Retry-After}; each attempt is bounded by the per-call
 * timeout and by the deadline. A {@link ModelCallException} leaving this class is final for the job: callers
 * should not retry it again. There is no fallback to any other model: each call goes to the one model it is given
 * (the job's, see {@link GeminiModels}), and a model Google no longer serves ends the call with a
 * {@link ModelUnavailableException} naming the variable to change.
 *
 * <p>Request shape for the Gemini 3 models: no sampling parameters (Google deprecated temperature, topP and topK for
 * its current models and advises leaving Gemini 3 at its defaults), thinking left at the model's default level,
 * and single-turn calls, so no {@code thoughtSignature} has to be sent back; thought parts of the answer are
 * never taken as the story or the panel ({@link ModelAnswers}).
 */
public final class GeminiGateway {

    /** How failures of the photo uploads are labelled; not a model, so never a fallback question. */
    public static final String FILES_API = "Gemini Files API";
    /**
     * Uploads in flight at once in this process: the SDK allocates an 8 MiB chunk buffer per upload whatever the
     * photo's size, so a hundred jobs starting together would otherwise ask for hundreds of MiB at once.
     */
    private static final int MAX_CONCURRENT_UPLOADS = 8;

    /**
     * Retry and timeout settings.
     *
     * @param maxAttempts calls per model call, the first one included
     * @param initialBackoff wait before the first retry, doubled each time (with jitter)
     * @param maxBackoff cap on any wait, a server's Retry-After included
     * @param callTimeout cap on one attempt of a model call, connecting and reading included
     * @param filesCallTimeout cap on one attempt of a Files API call (a photo's upload, {@code files:register}):
     *     these move at most a photo and answer a few hundred bytes, so one that is silent for this long is stuck,
     *     and is tried again rather than holding the job as long as a model may think; never longer than
     *     {@code callTimeout}
     */
    public record Settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration callTimeout,
            Duration filesCallTimeout) {

        /** The Files API's default attempt timeout (never longer than the model calls'). */
        public static final Duration FILES_CALL_TIMEOUT = Duration.ofSeconds(60);

        public static final Settings DEFAULTS =
                new Settings(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(240));

        /** With the Files API's default attempt timeout. */
        public Settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration callTimeout) {
            this(maxAttempts, initialBackoff, maxBackoff, callTimeout, FILES_CALL_TIMEOUT);
        }

        public Settings {
            if (filesCallTimeout == null || filesCallTimeout.isNegative() || filesCallTimeout.isZero()) {
                throw new IllegalArgumentException("filesCallTimeout must be positive, was " + filesCallTimeout);
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            Objects.requireNonNull(initialBackoff, "initialBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
                throw new IllegalArgumentException("callTimeout must be positive, was " + callTimeout);
            }
            // Never longer than a model call's: a shorter call-timeout (tests, a proxy) bounds the Files API too.
            if (filesCallTimeout.compareTo(callTimeout) > 0) {
                filesCallTimeout = callTimeout;
            }
        }
    }

    private static final Logger log = LoggerFactory.getLogger(GeminiGateway.class);

    private final Client client;
    private final Retrier retrier;
    private final Semaphore uploads = new Semaphore(MAX_CONCURRENT_UPLOADS);
    private final Duration modelCallTimeout;
    private final Duration filesCallTimeout;

    public GeminiGateway(Client client, Settings settings) {
        this(client, settings, GatewayListener.NONE);
    }

    public GeminiGateway(Client client, Settings settings, GatewayListener listener) {
        this.client = Objects.requireNonNull(client, "client");
        this.retrier = new Retrier(Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(listener, "listener"));
        this.modelCallTimeout = settings.callTimeout();
        this.filesCallTimeout = settings.filesCallTimeout();
    }

    /** Uploads one photo from disk through the Files API; retried like a model call. */
    public GeminiFile upload(InputImage image, Instant deadline) {
        Retrier.Outcome<GeminiFile> outcome = retrier.call(FILES_API, deadline, filesCallTimeout, timeout -> {
            UploadFileConfig config = UploadFileConfig.builder().mimeType(image.mimeType())
                    .displayName(image.name()).httpOptions(timeout(timeout)).build();
            File file = withUploadPermit(timeout, () -> {
                try (InputStream in = Files.newInputStream(image.file())) {
                    return client.files.upload(in, image.size(), config);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return new GeminiFile(file.name().orElseThrow(), file.uri().orElseThrow(),
                    file.mimeType().orElse(image.mimeType()), image.orientation());
        });
        log.debug("Uploaded {} as {} in {} ms", image.name(), outcome.value().name(), outcome.elapsed().toMillis());
        return outcome.value();
    }

    /**
     * Registers the job's photos where they already are, in Cloud Storage, as Gemini files (one {@code files:register}
     * call for all of them): Gemini reads the bytes itself, so the worker neither downloads nor uploads them. The
     * call needs an OAuth access token from these credentials besides the API key, Gemini's service agent must be
     * able to read the bucket, and the key must belong to the credentials' project (README, "Photos: registered or
     * uploaded"). Retried like a model call; the answer's files come back in the order of the photos.
     */
    public List<GeminiFile> register(GoogleCredentials credentials, List<StoredPhoto> photos, Instant deadline) {
        List<String> uris = photos.stream().map(StoredPhoto::gcsUri).toList();
        Retrier.Outcome<List<File>> outcome = retrier.call(FILES_API, deadline, filesCallTimeout, timeout -> {
            List<File> files = client.files.registerFiles(credentials, uris,
                    RegisterFilesConfig.builder().httpOptions(timeout(timeout)).build()).files().orElse(List.of());
            if (files.size() != photos.size()) {
                throw ModelCallException.permanent(FILES_API, null, "Gemini registered " + files.size() + " of "
                        + photos.size() + " photos");
            }
            return files;
        });
        List<GeminiFile> registered = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            File file = outcome.value().get(i);
            StoredPhoto photo = photos.get(i);
            // Our own type, from the extension intake gave the object after checking its bytes.
            registered.add(new GeminiFile(file.name().orElseThrow(), file.uri().orElseThrow(), photo.mimeType(),
                    photo.orientation()));
        }
        log.debug("Registered {} photos in {} ms", photos.size(), outcome.elapsed().toMillis());
        return registered;
    }

    /**
     * Deletes an uploaded photo, once, without failing: the job's outcome does not depend on it, and Gemini
     * deletes every upload by itself after 48 hours anyway.
     */
    public boolean delete(GeminiFile file) {
        try {
            client.files.delete(file.name(), DeleteFileConfig.builder()
                    .httpOptions(timeout(Duration.ofSeconds(30))).build());
            return true;
        } catch (RuntimeException e) {
            log.warn("Could not delete {} from Gemini (it expires after 48 h): {}", file.name(), e.toString());
            return false;
        }
    }

    /** Asks the text model for a story about the photos; thought parts are left out of the text. */
    public Story writeStory(String model, String prompt, List<GeminiFile> photos, Instant deadline) {
        Content content = content(photos, List.of(Part.fromText(prompt)));
        Retrier.Outcome<Answer<String>> outcome = call(ModelRole.STORY, model, deadline, timeout -> {
            GenerateContentResponse response = client.models.generateContent(model, content,
                    GenerateContentConfig.builder().httpOptions(timeout(timeout)).build());
            return new Answer<>(ModelAnswers.story(model, response), TokenUsage.of(response));
        });
        log.info("{} wrote a {}-character story in {} ms ({} attempts)", model,
                outcome.value().value().length(), outcome.elapsed().toMillis(), outcome.attempts());
        return new Story(outcome.value().value(), outcome.value().usage(), outcome.elapsed(), outcome.attempts());
    }

    /** Asks the image model for one 16:9, 2K panel drawn from the photos with the story as its script. */
    public Panel drawPanel(String model, String prompt, String story, List<GeminiFile> photos, Instant deadline) {
        Content content = content(photos, List.of(Part.fromText(prompt), Part.fromText(story)));
        Retrier.Outcome<Answer<ModelAnswers.Image>> outcome = call(ModelRole.IMAGE, model, deadline, timeout ->
                // The panel is decoded once, off the wire, not by the SDK from a String copy (InlineImageCapture).
                InlineImageCapture.capturing(() -> {
                    GenerateContentResponse response = client.models.generateContent(model, content,
                            GenerateContentConfig.builder()
                                    .responseModalities("TEXT", "IMAGE")
                                    .imageConfig(ImageConfig.builder().aspectRatio("16:9").imageSize("2K"))
                                    .httpOptions(timeout(timeout))
                                    .build());
                    ModelAnswers.Image image = ModelAnswers.finalImage(model, response);
                    return new Answer<>(new ModelAnswers.Image(InlineImageCapture.resolve(image.bytes()),
                            image.mimeType()), TokenUsage.of(response));
                }));
        ModelAnswers.Image image = outcome.value().value();
        log.info("{} drew a {}-byte {} in {} ms ({} attempts)", model, image.bytes().length,
                image.mimeType(), outcome.elapsed().toMillis(), outcome.attempts());
        return new Panel(image.bytes(), image.mimeType(), outcome.value().usage(), outcome.elapsed(),
                outcome.attempts());
    }

    /** One model call, retried on transient failures; a 404 NOT_FOUND says Google no longer serves the model. */
    private <T> Retrier.Outcome<T> call(ModelRole role, String model, Instant deadline, Retrier.Attempt<T> attempt) {
        try {
            return retrier.call(model, deadline, modelCallTimeout, attempt);
        } catch (ModelCallException e) {
            throw ModelUnavailableException.isModelGone(e) ? new ModelUnavailableException(role, model, e) : e;
        }
    }

    /** Runs an upload once a permit is free, waiting no longer than the attempt may last. */
    private <T> T withUploadPermit(Duration timeout, Supplier<T> upload) {
        try {
            if (!uploads.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new GenAiIOException("No upload slot free within " + timeout.toMillis() + " ms",
                        new InterruptedIOException("upload slot wait timed out"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ModelCallException.permanent(FILES_API, null, "Photo upload was interrupted");
        }
        try {
            return upload.get();
        } finally {
            uploads.release();
        }
    }

    /** The SDK turns a per-request timeout into OkHttp's callTimeout for that one call. */
    private static HttpOptions timeout(Duration timeout) {
        return HttpOptions.builder().timeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
                .build();
    }

    /**
     * The photos first, then the text: Google's prompting guidance for Gemini 3 and its image models puts images
     * before the instructions that refer to them.
     */
    private static Content content(List<GeminiFile> photos, List<Part> texts) {
        List<Part> parts = new ArrayList<>();
        for (GeminiFile photo : photos) {
            // Google does not document whether Gemini applies EXIF orientation or HEIF irot/imir, so a photo stored
            // sideways gets a sentence saying which way up it is, right before it (README, "Orientation").
            String note = photo.orientation().promptNote();
            if (note != null) {
                parts.add(Part.fromText(note));
            }
            parts.add(Part.fromUri(photo.uri(), photo.mimeType()));
        }
        parts.addAll(texts);
        return Content.fromParts(parts.toArray(Part[]::new));
    }

    /** What one successful attempt produced. */
    private record Answer<T>(T value, TokenUsage usage) {
    }
}
