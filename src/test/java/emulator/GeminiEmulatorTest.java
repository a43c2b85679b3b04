package emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The emulator over plain HTTP: Google's error format, rendering, the control API and concurrent latency. */
class GeminiEmulatorTest {

    private static final String STORY = "/v1beta/models/gemini-3.1-pro-preview:generateContent";
    private static final String IMAGE = "/v1beta/models/gemini-3-pro-image:generateContent";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static GeminiEmulator emulator;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        emulator = GeminiEmulator.start(0);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @AfterEach
    void reset() {
        emulator.reset();
    }

    @Test
    void rejectsAMissingKeyInGooglesErrorFormat() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(STORY))
                .POST(HttpRequest.BodyPublishers.ofString(textRequest("hi"))).build());

        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(403);
        assertThat(error.get("status").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(error.get("message").asText()).contains("API Key");
    }

    @Test
    void answersOtherModelsWith404() throws Exception {
        HttpResponse<String> response = post("/v1beta/models/gemini-2.5-flash:generateContent", textRequest("hi"));

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("status").asText()).isEqualTo("NOT_FOUND");
        assertThat(error.get("message").asText()).contains("models/gemini-2.5-flash is not found");
        assertThat(emulator.callCount("gemini-2.5-flash")).isEqualTo(1);
    }

    @Test
    void everyShutDownModelAnswersGenerateContentWithGooglesExact404() throws Exception {
        assertThat(GeminiEmulator.SHUT_DOWN_MODELS).contains("gemini-3-pro-preview", "gemini-3-pro-image-preview");
        for (String model : GeminiEmulator.SHUT_DOWN_MODELS) {
            HttpResponse<String> response = post("/v1beta/models/" + model + ":generateContent", textRequest("hi"));

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"error\":{\"code\":404,"
                    + "\"message\":\"models/" + model + " is not found for API version v1beta, or is not supported for"
                    + " generateContent. Call ListModels to see the list of available models and their supported"
                    + " methods.\",\"status\":\"NOT_FOUND\"}}"));
        }
    }

    @Test
    void modelsGetDescribesServedModelsWithTheirMethodsAndNotFoundForShutDownOnes() throws Exception {
        JsonNode story = JSON.readTree(get("/v1beta/models/gemini-3.1-pro-preview").body());
        assertThat(story.get("name").asText()).isEqualTo("models/gemini-3.1-pro-preview");
        assertThat(story.get("supportedGenerationMethods")).extracting(JsonNode::asText).contains("generateContent");
        JsonNode image = JSON.readTree(get("/v1beta/models/gemini-3-pro-image").body());
        assertThat(image.get("supportedGenerationMethods")).extracting(JsonNode::asText).contains("generateContent");

        HttpResponse<String> gone = get("/v1beta/models/gemini-3-pro-image-preview");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(gone.body()).at("/error/status").asText()).isEqualTo("NOT_FOUND");

        // Retired while running, as Google does: both methods answer 404 from then on.
        assertThat(control("POST", "/_emulator/models", "{\"retire\":\"gemini-3-pro-image\"}").statusCode())
                .isEqualTo(204);
        assertThat(get("/v1beta/models/gemini-3-pro-image").statusCode()).isEqualTo(404);
        assertThat(post(IMAGE, textRequest("hi")).statusCode()).isEqualTo(404);
        assertThat(emulator.lookupCount("gemini-3-pro-image")).isEqualTo(2);
    }

    @Test
    void storyHasAThoughtPartThenTheStoryAndUsage() throws Exception {
        JsonNode body = JSON.readTree(post(STORY, textRequest("Write.")).body());

        JsonNode candidate = body.at("/candidates/0");
        assertThat(candidate.at("/content/role").asText()).isEqualTo("model");
        assertThat(candidate.get("finishReason").asText()).isEqualTo("STOP");
        assertThat(candidate.at("/content/parts/0/thought").asBoolean()).isTrue();
        assertThat(candidate.at("/content/parts/1/text").asText()).contains("no photos at all");
        assertThat(body.at("/usageMetadata/totalTokenCount").asInt()).isPositive();
        assertThat(body.get("modelVersion").asText()).isEqualTo("gemini-3.1-pro-preview");
        assertThat(body.get("responseId").asText()).isNotBlank();
    }

    @Test
    void drawsTheRequestedShapeWithAPlaceholderForUndecodableImages() throws Exception {
        String request = imageRequest("2K", TestImages.solid("png", 50, 50, Color.GREEN), "not really webp".getBytes());

        Instant before = Instant.now();
        JsonNode body = JSON.readTree(post(IMAGE, request).body());
        Duration took = Duration.between(before, Instant.now());

        JsonNode parts = body.at("/candidates/0/content/parts");
        assertThat(parts).hasSize(4);
        assertThat(parts.get(1).get("thought").asBoolean()).as("interim thought image").isTrue();
        assertThat(parts.get(1).has("inlineData")).isTrue();
        assertThat(parts.get(3).has("thought")).isFalse();
        BufferedImage panel = TestImages.decode(Base64.getDecoder().decode(parts.get(3).at("/inlineData/data").asText()));
        assertThat(panel.getWidth()).isEqualTo(GeminiEmulator.DEFAULT_RENDER_WIDTH);
        assertThat(panel.getWidth() / (double) panel.getHeight()).isCloseTo(16 / 9.0, offset(0.03));
        assertThat(took).as("rendering stays cheap").isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void rendersFullSizeWhenAllowed() throws Exception {
        emulator.setRenderWidth(4000);

        JsonNode body = JSON.readTree(post(IMAGE, imageRequest("2K")).body());

        BufferedImage panel = TestImages.decode(
                Base64.getDecoder().decode(body.at("/candidates/0/content/parts/3/inlineData/data").asText()));
        assertThat(panel.getWidth()).isEqualTo(2752);
        assertThat(panel.getHeight()).isEqualTo(1536);
    }

    @Test
    void padsThePanelToARealPanelsSizeAndItStaysAValidPng() throws Exception {
        emulator.setPanelBytes(2_000_000);

        JsonNode body = JSON.readTree(post(IMAGE, imageRequest("2K")).body());

        byte[] png = Base64.getDecoder().decode(body.at("/candidates/0/content/parts/3/inlineData/data").asText());
        assertThat(png).hasSize(2_000_000);
        BufferedImage panel = TestImages.decode(png);
        assertThat(panel.getWidth() / (double) panel.getHeight()).isCloseTo(16 / 9.0, offset(0.03));
        // The thought sketch keeps its own size.
        assertThat(Base64.getDecoder().decode(body.at("/candidates/0/content/parts/1/inlineData/data").asText()))
                .hasSizeLessThan(10_000);
    }

    @Test
    void answersACachedPanelAgainWithTheSamePanelAndTheAnswersOwnLength() throws Exception {
        emulator.setPanelBytes(2_000_000);

        HttpResponse<String> first = post(IMAGE, imageRequest("2K"));
        HttpResponse<String> again = post(IMAGE, imageRequest("2K"));

        for (HttpResponse<String> answer : List.of(first, again)) {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValueAsLong("Content-Length"))
                    .hasValue(answer.body().getBytes(StandardCharsets.UTF_8).length);
        }
        String panel = "/candidates/0/content/parts/3/inlineData/data";
        assertThat(JSON.readTree(again.body()).at(panel).asText())
                .isEqualTo(JSON.readTree(first.body()).at(panel).asText());
        assertThat(Base64.getDecoder().decode(JSON.readTree(again.body()).at(panel).asText())).hasSize(2_000_000);
    }

    @Test
    void rejectsAnUnknownImageSize() throws Exception {
        HttpResponse<String> response = post(IMAGE, imageRequest("3K"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void controlApiScriptsFaultsCountsCallsAndClears() throws Exception {
        assertThat(control("POST", "/_emulator/faults", "{\"model\":\"gemini-3.1-pro-preview\",\"count\":2,"
                + "\"fault\":{\"type\":\"status\",\"code\":503,\"status\":\"UNAVAILABLE\",\"message\":\"busy\"}}")
                .statusCode()).isEqualTo(204);
        control("POST", "/_emulator/faults", "{\"model\":\"gemini-3-pro-image\",\"always\":true,"
                + "\"fault\":{\"type\":\"rateLimited\",\"retryAfterMs\":3000}}");

        assertThat(post(STORY, textRequest("a")).statusCode()).isEqualTo(503);
        assertThat(post(STORY, textRequest("b")).statusCode()).isEqualTo(503);
        assertThat(post(STORY, textRequest("c")).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = post(IMAGE, imageRequest("2K"));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(JSON.readTree(limited.body()).at("/error/details/0/retryDelay").asText()).isEqualTo("3s");

        JsonNode counts = JSON.readTree(control("GET", "/_emulator/calls", null).body());
        assertThat(counts.get("total").asInt()).isEqualTo(4);
        assertThat(counts.at("/models/gemini-3.1-pro-preview").asInt()).isEqualTo(3);
        assertThat(counts.at("/models/gemini-3-pro-image").asInt()).isEqualTo(1);

        assertThat(control("DELETE", "/_emulator/faults", null).statusCode()).isEqualTo(204);
        assertThat(post(IMAGE, imageRequest("2K")).statusCode()).isEqualTo(200);
        control("DELETE", "/_emulator/calls", null);
        assertThat(emulator.calls()).isEmpty();
    }

    @Test
    void controlApiRejectsAnUnknownFault() throws Exception {
        HttpResponse<String> response = control("POST", "/_emulator/faults",
                "{\"model\":\"gemini-3.1-pro-preview\",\"fault\":{\"type\":\"explode\"}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("unknown fault type");
    }

    @Test
    void concurrentCallsSleepTheirLatencyInParallel() throws Exception {
        control("POST", "/_emulator/latency", "{\"ms\":300}");
        int calls = 20;

        List<CompletableFuture<Instant>> done = new ArrayList<>();
        Instant started = Instant.now();
        for (int i = 0; i < calls; i++) {
            done.add(http.sendAsync(keyed(STORY, textRequest("call " + i)), HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> {
                        assertThat(response.statusCode()).isEqualTo(200);
                        return Instant.now();
                    }));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
        Instant lastDone = done.stream().map(CompletableFuture::join).max(Instant::compareTo).orElseThrow();

        Duration total = Duration.between(started, lastDone);
        assertThat(total).as("each call waits its latency").isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(total).as("but not one after another (20 x 300 ms serially)").isLessThan(Duration.ofMillis(3000));
        assertThat(emulator.callCount("gemini-3.1-pro-preview")).isEqualTo(calls);
    }

    private static String textRequest(String text) throws Exception {
        return JSON.writeValueAsString(JSON.createObjectNode().set("contents", JSON.createArrayNode()
                .add(JSON.createObjectNode().put("role", "user")
                        .set("parts", JSON.createArrayNode().add(JSON.createObjectNode().put("text", text))))));
    }

    private static String imageRequest(String imageSize, byte[]... images) throws Exception {
        var parts = JSON.createArrayNode().add(JSON.createObjectNode().put("text", "Draw it."))
                .add(JSON.createObjectNode().put("text", "A story that starts here."));
        for (byte[] image : images) {
            parts.addObject().putObject("inlineData").put("mimeType", "image/webp")
                    .put("data", Base64.getEncoder().encodeToString(image));
        }
        var request = JSON.createObjectNode();
        request.putArray("contents").addObject().put("role", "user").set("parts", parts);
        var config = request.putObject("generationConfig");
        config.putArray("responseModalities").add("TEXT").add("IMAGE");
        config.putObject("imageConfig").put("aspectRatio", "16:9").put("imageSize", imageSize);
        return JSON.writeValueAsString(request);
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return send(keyed(path, body));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("x-goog-api-key", "k").GET().build());
    }

    private static HttpRequest keyed(String path, String body) {
        return HttpRequest.newBuilder(uri(path)).header("x-goog-api-key", "k")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> control(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return send(HttpRequest.newBuilder(uri(path)).method(method, publisher).build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create(emulator.baseUrl() + path);
    }
}
