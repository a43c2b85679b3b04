package clients;

import static emulator.GeminiEmulator.IMAGE_MODEL;
import static emulator.GeminiEmulator.STORY_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import emulator.Fault;
import emulator.GeminiEmulator;
import emulator.RecordedCall;
import emulator.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real google-genai SDK, through our factory and gateway, against the Gemini emulator over HTTP. */
class GeminiGatewayIT {

    /** Short waits so the class stays fast; attempts and timeouts as in production shape. */
    private static final GeminiGateway.Settings FAST =
            new GeminiGateway.Settings(5, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(10));
    /** Tiny backoff but room under the cap for a server's one-second Retry-After. */
    private static final GeminiGateway.Settings ROOM_FOR_RETRY_AFTER =
            new GeminiGateway.Settings(5, Duration.ofMillis(20), Duration.ofSeconds(5), Duration.ofSeconds(10));

    private static final byte[] RED_PNG = TestImages.solid("png", 40, 30, Color.RED);
    private static final byte[] BLUE_JPEG = TestImages.solid("jpg", 30, 40, Color.BLUE);

    private static GeminiEmulator emulator;
    private static Client client;

    @TempDir
    static Path dir;
    private static InputImage red;
    private static InputImage blue;

    /** The two photos, uploaded afresh for each test (the emulator forgets its files between tests). */
    private List<GeminiFile> photos;
    private final List<String> attempts = Collections.synchronizedList(new ArrayList<>());
    private final GatewayListener listener = (model, attempt, took, failure) ->
            attempts.add(model + "#" + attempt + ":" + (failure == null ? "ok" : failure.httpStatus()));

    @BeforeAll
    static void startEmulator() throws IOException {
        emulator = GeminiEmulator.start(0);
        client = GeminiClientFactory.create("test-key", emulator.baseUrl());
        red = photo("red.png", "image/png", RED_PNG);
        blue = photo("blue.jpg", "image/jpeg", BLUE_JPEG);
    }

    private static InputImage photo(String name, String mimeType, byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve(name), bytes);
        return new InputImage(name, mimeType, file, bytes.length);
    }

    @BeforeEach
    void uploadPhotos() {
        photos = List.of(gateway(FAST).upload(red, inSeconds(20)), gateway(FAST).upload(blue, inSeconds(20)));
        attempts.clear();
    }

    @AfterAll
    static void stopEmulator() {
        client.close();
        emulator.close();
    }

    @AfterEach
    void onlyTheTwoProductModelsWereCalled() {
        assertThat(emulator.calls()).extracting(RecordedCall::model).allMatch(
                model -> model.equals(STORY_MODEL) || model.equals(IMAGE_MODEL));
        emulator.reset();
    }

    @Test
    void writesAStoryWithoutTheThoughtPart() {
        Story story = gateway(FAST).writeStory(STORY_MODEL, "Tell a story about these photos.", photos, inSeconds(20));

        assertThat(story.text()).contains("2 photos").doesNotContain("Reading the photos").isEqualTo(story.text().trim());
        assertThat(story.attempts()).isEqualTo(1);
        assertThat(story.usage().promptTokens()).isPositive();
        assertThat(story.usage().thoughtsTokens()).isPositive();
        assertThat(story.usage().totalTokens()).isEqualTo(story.usage().promptTokens()
                + story.usage().candidatesTokens() + story.usage().thoughtsTokens());
        RecordedCall call = emulator.calls().get(0);
        assertThat(call.model()).isEqualTo(STORY_MODEL);
        assertThat(call.apiVersion()).isEqualTo("v1beta");
        assertThat(call.apiKey()).isEqualTo("test-key");
        JsonNode parts = call.request().at("/contents/0/parts");
        assertThat(parts.get(0).at("/fileData/mimeType").asText()).as("photos before the text").isEqualTo("image/png");
        assertThat(parts.get(1).at("/fileData/mimeType").asText()).isEqualTo("image/jpeg");
        assertThat(parts.get(0).at("/fileData/fileUri").asText()).isEqualTo(photos.get(0).uri());
        assertThat(parts.get(2).get("text").asText()).isEqualTo("Tell a story about these photos.");
        assertThat(call.request().path("generationConfig").has("temperature"))
                .as("no sampling parameters: deprecated for the current Gemini models").isFalse();
        assertThat(call.request().findValues("inlineData")).as("photos go by reference, never inline").isEmpty();
        assertThat(attempts).containsExactly(STORY_MODEL + "#1:ok");
    }

    @Test
    void drawsA16by9PanelAndAsksForIt() {
        Panel panel = gateway(FAST).drawPanel(IMAGE_MODEL, "Draw a comic panel.", "Once upon a time, two colours met.", photos,
                inSeconds(20));

        assertThat(panel.mimeType()).isEqualTo("image/png");
        BufferedImage image = TestImages.decode(panel.bytes());
        assertThat(image.getWidth()).as("the final image, not the small thought sketch").isGreaterThan(1000);
        assertThat(image.getWidth() / (double) image.getHeight()).isCloseTo(16 / 9.0, offset(0.03));
        assertThat(panel.usage().candidatesTokens()).isPositive();

        RecordedCall call = emulator.calls().get(0);
        assertThat(call.model()).isEqualTo(IMAGE_MODEL);
        JsonNode config = call.request().get("generationConfig");
        assertThat(config.at("/imageConfig/aspectRatio").asText()).isEqualTo("16:9");
        assertThat(config.at("/imageConfig/imageSize").asText()).isEqualTo("2K");
        assertThat(config.get("responseModalities")).extracting(JsonNode::asText).containsExactly("TEXT", "IMAGE");
        JsonNode parts = call.request().at("/contents/0/parts");
        assertThat(emulator.file(parts.get(0).at("/fileData/fileUri").asText())).contains(RED_PNG);
        assertThat(emulator.file(parts.get(1).at("/fileData/fileUri").asText())).contains(BLUE_JPEG);
        assertThat(parts.get(2).get("text").asText()).isEqualTo("Draw a comic panel.");
        assertThat(parts.get(3).get("text").asText()).isEqualTo("Once upon a time, two colours met.");
    }

    @Test
    void aPanelLargerThanTheSdksJsonStringLimitIsDecodedOffTheWire() {
        // 16 MB of PNG is 21.3 million base64 characters: more than Jackson lets the SDK hold in one JSON string
        // (20 million), so only a panel decoded as it streams in (InlineImageCapture) gets through.
        emulator.setPanelBytes(16_000_000);
        try {
            Panel panel = gateway(FAST).drawPanel(IMAGE_MODEL, "prompt", "story", photos, inSeconds(60));

            assertThat(panel.bytes()).hasSize(16_000_000);
            BufferedImage image = TestImages.decode(panel.bytes());
            assertThat(image.getWidth() / (double) image.getHeight()).isCloseTo(16 / 9.0, offset(0.03));
        } finally {
            emulator.setPanelBytes(0);
        }
    }

    @Test
    void gzippedAnswersAreReadAsThePlainOnes() {
        // Google's front end may gzip an answer for a client that accepts it, as OkHttp does on every call; the
        // panel then arrives chunked, without a Content-Length, and must be inflated before our capture reads it.
        // A panel past the SDK's JSON string limit gets through only if the capture decoded it.
        emulator.setGzipAnswers(true);
        emulator.setPanelBytes(16_000_000);

        Story story = gateway(FAST).writeStory(STORY_MODEL, "Tell a story.", photos, inSeconds(20));
        Panel panel = gateway(FAST).drawPanel(IMAGE_MODEL, "prompt", story.text(), photos, inSeconds(60));

        assertThat(emulator.gzippedAnswers()).as("both answers went out gzipped").isEqualTo(2);
        assertThat(story.text()).contains("2 photos");
        assertThat(panel.bytes()).hasSize(16_000_000);
        BufferedImage image = TestImages.decode(panel.bytes());
        assertThat(image.getWidth() / (double) image.getHeight()).isCloseTo(16 / 9.0, offset(0.03));
        assertThat(attempts).containsExactly(STORY_MODEL + "#1:ok", IMAGE_MODEL + "#1:ok");
    }

    @Test
    void uploadsEachPhotoAsOneFileAndDeletesIt() {
        assertThat(emulator.files()).containsExactlyInAnyOrderElementsOf(photos.stream().map(GeminiFile::name).toList());
        assertThat(photos).extracting(GeminiFile::mimeType).containsExactly("image/png", "image/jpeg");
        assertThat(emulator.file(photos.get(1).uri())).contains(BLUE_JPEG);

        assertThat(gateway(FAST).delete(photos.get(0))).isTrue();
        assertThat(emulator.files()).containsExactly(photos.get(1).name());
        assertThat(gateway(FAST).delete(photos.get(0))).as("already gone: reported, not thrown").isFalse();
    }

    @Test
    void retriesAnUploadOn503() {
        emulator.enqueue(GeminiEmulator.FILES, Fault.unavailable(Duration.ofMillis(10)));

        GeminiFile file = gateway(ROOM_FOR_RETRY_AFTER).upload(red, inSeconds(20));

        assertThat(emulator.file(file.uri())).contains(RED_PNG);
        assertThat(attempts).containsExactly(GeminiGateway.FILES_API + "#1:503", GeminiGateway.FILES_API + "#2:ok");
    }

    @Test
    void aRefusedUploadIsFinalAndSaysSo() {
        emulator.enqueue(GeminiEmulator.FILES, Fault.status(403, "PERMISSION_DENIED", "Uploads are disabled"));

        ModelCallException failure = catchThrowableOfType(
                () -> gateway(FAST).upload(red, inSeconds(20)), ModelCallException.class);

        assertThat(failure.isTransient()).isFalse();
        // Google's own text is logged, not passed on: the message says what the status means.
        assertThat(failure.getMessage()).contains(GeminiGateway.FILES_API).contains("403 PERMISSION_DENIED")
                .contains("refused this service's access").doesNotContain("Uploads are disabled");
        assertThat(attempts).containsExactly(GeminiGateway.FILES_API + "#1:403");
    }

    @Test
    void aCallNamingAFileThatIsGoneFailsForGood() {
        gateway(FAST).delete(photos.get(0));

        ModelCallException failure = catchThrowableOfType(
                () -> gateway(FAST).writeStory(STORY_MODEL, "prompt", photos, inSeconds(20)), ModelCallException.class);

        assertThat(failure.isTransient()).isFalse();
        assertThat(failure.getMessage()).contains("403").contains(photos.get(0).name());
    }

    @Test
    void waitsForRetryAfterOn429ThenSucceeds() {
        emulator.enqueue(STORY_MODEL, Fault.rateLimited(Duration.ofSeconds(1)));

        Story story = gateway(ROOM_FOR_RETRY_AFTER).writeStory(STORY_MODEL, "prompt", photos, inSeconds(20));

        assertThat(story.attempts()).isEqualTo(2);
        assertThat(gapBetweenCalls(0, 1)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(attempts).containsExactly(STORY_MODEL + "#1:429", STORY_MODEL + "#2:ok");
    }

    @Test
    void honoursARetryAfterHeaderOn503() {
        emulator.enqueue(IMAGE_MODEL, Fault.unavailable(Duration.ofSeconds(1)));

        Panel panel = gateway(ROOM_FOR_RETRY_AFTER).drawPanel(IMAGE_MODEL, "prompt", "story", photos, inSeconds(20));

        assertThat(panel.attempts()).isEqualTo(2);
        assertThat(gapBetweenCalls(0, 1)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void honoursRetryInfoInTheBodyWhenTheHeaderIsNotSeen() {
        Client plainClient = Client.builder().apiKey("test-key").vertexAI(false)
                .httpOptions(HttpOptions.builder().baseUrl(emulator.baseUrl())
                        .retryOptions(HttpRetryOptions.builder().attempts(1).httpStatusCodes(List.of()).build())
                        .build())
                .build();
        emulator.enqueue(STORY_MODEL, Fault.rateLimited(Duration.ofSeconds(1)));

        Story story = new GeminiGateway(plainClient, ROOM_FOR_RETRY_AFTER).writeStory(STORY_MODEL, "prompt", photos, inSeconds(20));

        assertThat(story.attempts()).isEqualTo(2);
        assertThat(gapBetweenCalls(0, 1)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        plainClient.close();
    }

    @Test
    void capsRetryAfterAtTheMaximumBackoff() {
        emulator.enqueue(STORY_MODEL, Fault.rateLimited(Duration.ofSeconds(20)));

        Story story = gateway(FAST).writeStory(STORY_MODEL, "prompt", photos, inSeconds(20));

        assertThat(story.attempts()).isEqualTo(2);
        assertThat(gapBetweenCalls(0, 1)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void retriesServerErrorsOnTheSameModel() {
        emulator.enqueue(IMAGE_MODEL, Fault.status(500, "INTERNAL", "An internal error has occurred."));
        emulator.enqueue(IMAGE_MODEL, Fault.status(503, "UNAVAILABLE", "The model is overloaded."));

        Panel panel = gateway(FAST).drawPanel(IMAGE_MODEL, "prompt", "story", photos, inSeconds(20));

        assertThat(panel.attempts()).isEqualTo(3);
        assertThat(emulator.callCount(IMAGE_MODEL)).isEqualTo(3);
        assertThat(emulator.callCount(STORY_MODEL)).isZero();
        assertThat(attempts).containsExactly(IMAGE_MODEL + "#1:500", IMAGE_MODEL + "#2:503", IMAGE_MODEL + "#3:ok");
    }

    @Test
    void givesUpAfterMaxAttemptsWithoutSdkRetriesMultiplyingThem() {
        emulator.failAlways(STORY_MODEL, Fault.status(503, "UNAVAILABLE", "The model is overloaded."));
        GeminiGateway.Settings threeAttempts =
                new GeminiGateway.Settings(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(10));

        ModelCallException error = catchThrowableOfType(
                () -> gateway(threeAttempts).writeStory(STORY_MODEL, "prompt", photos, inSeconds(20)), ModelCallException.class);

        assertThat(error.isTransient()).isTrue();
        assertThat(error.httpStatus()).isEqualTo(503);
        assertThat(error).hasMessage(STORY_MODEL
                + " failed after 3 attempts: 503 UNAVAILABLE — Gemini had a temporary problem");
        assertThat(emulator.callCount(STORY_MODEL)).isEqualTo(3);
    }

    @Test
    void badRequestFailsAtOnce() {
        emulator.enqueue(IMAGE_MODEL, Fault.status(400, "INVALID_ARGUMENT", "Request contains an invalid argument."));

        ModelCallException error = catchThrowableOfType(
                () -> gateway(FAST).drawPanel(IMAGE_MODEL, "prompt", "story", photos, inSeconds(20)), ModelCallException.class);

        assertThat(error.isTransient()).isFalse();
        assertThat(error.httpStatus()).isEqualTo(400);
        assertThat(error).hasMessage(IMAGE_MODEL
                + " refused the request: 400 INVALID_ARGUMENT — Gemini could not accept this request (for example a"
                + " photo it cannot use)");
        assertThat(emulator.callCount(IMAGE_MODEL)).isEqualTo(1);
    }

    @Test
    void blockedPromptFailsAtOnceNamingSafety() {
        emulator.enqueue(STORY_MODEL, Fault.promptBlocked("SAFETY"));

        ModelCallException error = catchThrowableOfType(
                () -> gateway(FAST).writeStory(STORY_MODEL, "prompt", photos, inSeconds(20)), ModelCallException.class);

        assertThat(error.isTransient()).isFalse();
        assertThat(error).hasMessage(STORY_MODEL + " blocked the request for safety reasons (prompt feedback: SAFETY)");
        assertThat(emulator.callCount(STORY_MODEL)).isEqualTo(1);
    }

    @Test
    void imageSafetyFinishFailsAtOnce() {
        emulator.enqueue(IMAGE_MODEL, Fault.finishReason("IMAGE_SAFETY"));

        assertThatThrownBy(() -> gateway(FAST).drawPanel(IMAGE_MODEL, "prompt", "story", photos, inSeconds(20)))
                .isInstanceOf(ModelCallException.class)
                .hasMessage(IMAGE_MODEL + " blocked the panel for safety reasons (IMAGE_SAFETY)");
        assertThat(emulator.callCount(IMAGE_MODEL)).isEqualTo(1);
    }

    @Test
    void answerWithoutAnImageFailsWithTheModelsText() {
        emulator.enqueue(IMAGE_MODEL, Fault.noImage("I can describe the scene, but not draw it."));

        assertThatThrownBy(() -> gateway(FAST).drawPanel(IMAGE_MODEL, "prompt", "story", photos, inSeconds(20)))
                .isInstanceOf(ModelCallException.class)
                .hasMessage(IMAGE_MODEL + " returned no image (finish reason STOP): "
                        + "I can describe the scene, but not draw it.");
        assertThat(emulator.callCount(IMAGE_MODEL)).isEqualTo(1);
    }

    @Test
    void aPanelWhoseBase64IsCutShortFailsOnceWithAPlainReason() {
        emulator.enqueue(IMAGE_MODEL, Fault.brokenImage());

        assertThatThrownBy(() -> gateway(FAST).drawPanel(IMAGE_MODEL, "prompt", "story", photos, inSeconds(20)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageMatching(IMAGE_MODEL + " returned an image that could not be decoded: its base64 was cut"
                        + " short \\(\\d+ characters, not a multiple of 4\\)");
        assertThat(emulator.callCount(IMAGE_MODEL)).as("no second attempt").isEqualTo(1);
    }

    @Test
    void hangingCallsAreCutByThePerCallTimeoutRetriedAndStoppedAtTheDeadline() {
        emulator.failAlways(STORY_MODEL, Fault.hang(Duration.ofSeconds(5)));
        GeminiGateway.Settings shortCalls =
                new GeminiGateway.Settings(10, Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(300));
        Instant deadline = inMillis(1500);

        ModelCallException error = catchThrowableOfType(
                () -> gateway(shortCalls).writeStory(STORY_MODEL, "prompt", photos, deadline), ModelCallException.class);

        assertThat(Instant.now()).isBefore(deadline.plusMillis(500));
        assertThat(error.isTransient()).isFalse();
        assertThat(error.getMessage()).startsWith(STORY_MODEL + " timed out after ")
                .contains("deadline").contains("last error: timed out after");
        assertThat(emulator.callCount(STORY_MODEL)).isBetween(2, 6);
    }

    @Test
    void doesNotSleepPastTheDeadline() {
        emulator.failAlways(STORY_MODEL, Fault.status(503, "UNAVAILABLE", "The model is overloaded."));
        GeminiGateway.Settings slowBackoff =
                new GeminiGateway.Settings(5, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10));
        Instant started = Instant.now();

        ModelCallException error = catchThrowableOfType(
                () -> gateway(slowBackoff).writeStory(STORY_MODEL, "prompt", photos, inSeconds(2)), ModelCallException.class);

        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(1));
        assertThat(error.isTransient()).isFalse();
        assertThat(error.getMessage()).startsWith(STORY_MODEL + " timed out after ").contains("503 UNAVAILABLE");
        assertThat(emulator.callCount(STORY_MODEL)).isEqualTo(1);
    }

    @Test
    void aPassedDeadlineMakesNoCall() {
        assertThatThrownBy(() -> gateway(FAST).writeStory(STORY_MODEL, "prompt", photos, Instant.now().minusSeconds(1)))
                .isInstanceOf(ModelCallException.class)
                .hasMessageContaining("timed out");
        assertThat(emulator.calls()).isEmpty();
    }

    private GeminiGateway gateway(GeminiGateway.Settings settings) {
        return new GeminiGateway(client, settings, listener);
    }

    private static Duration gapBetweenCalls(int first, int second) {
        List<RecordedCall> calls = emulator.calls();
        return Duration.between(calls.get(first).arrivedAt(), calls.get(second).arrivedAt());
    }

    private static Instant inSeconds(long seconds) {
        return Instant.now().plusSeconds(seconds);
    }

    private static Instant inMillis(long millis) {
        return Instant.now().plusMillis(millis);
    }
}
