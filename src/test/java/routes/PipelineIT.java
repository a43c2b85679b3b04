package routes;

import static org.assertj.core.api.Assertions.assertThat;

import clients.GeminiGateway;
import com.fasterxml.jackson.databind.JsonNode;
import emulator.Fault;
import emulator.GeminiEmulator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import support.FrameRecorder;
import support.PanelHarness;
import support.Photos;

/**
 * The whole pipeline, end to end on real parts: upload through the API, the job through a separate worker
 * context, status over WebSocket and polling, the panel in storage, the inputs gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;
    private static ConfigurableApplicationContext worker;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = harness.startApi();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static String submit() throws Exception {
        HttpResponse<String> response = harness.post(api, Photos.twoPhotos());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return PanelHarness.json(response.body()).path("job_id").asText();
    }

    /** The job's photos leave storage and Gemini's Files API (jobs here run one at a time). */
    private static void awaitInputsGone(String jobId) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> harness.objects("inputs/" + jobId + "/").isEmpty() && harness.gemini.files().isEmpty());
    }

    private static void ensureWorker() {
        if (worker == null) {
            worker = harness.startWorker();
        }
    }

    @Test
    @Order(1)
    void aSubscriberSeesEveryStatusInOrderAndTheFinishedPanel() throws Exception {
        HttpResponse<String> accepted = harness.post(api, Photos.twoPhotos());
        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonNode body = PanelHarness.json(accepted.body());
        String jobId = body.path("job_id").asText();
        assertThat(body.path("status").asText()).isEqualTo("QUEUED");
        assertThat(accepted.headers().firstValue("Location")).contains("/job/" + jobId);
        assertThat(harness.objects("inputs/" + jobId + "/"))
                .containsExactly("inputs/" + jobId + "/1-beach.jpg", "inputs/" + jobId + "/2-dog.png");

        // No worker yet: the job waits, and the first frame is its current state.
        FrameRecorder frames = harness.subscribe(api, jobId);
        org.awaitility.Awaitility.await().atMost(WITHIN).until(() -> frames.frames().size() == 1);
        assertThat(frames.statuses()).containsExactly("QUEUED");

        ensureWorker();
        assertThat(frames.closeCode(WITHIN)).isEqualTo(1000);
        assertThat(frames.statuses()).containsExactly("QUEUED", "PROCESSING_IMAGES", "GENERATING_STORY",
                "GENERATING_IMAGE", "UPLOADING", "COMPLETED");

        JsonNode last = frames.frames().get(frames.frames().size() - 1);
        JsonNode job = harness.job(api, jobId);
        assertThat(job).isEqualTo(last);
        assertThat(job.path("error_message").isNull()).isTrue();
        String imageUrl = job.path("result").path("image_url").asText();
        assertThat(imageUrl).isEqualTo(harness.gcs.baseUrl() + "/" + PanelHarness.BUCKET + "/outputs/" + jobId + "/panel.png");
        assertThat(job.path("result").path("story").asText()).isNotBlank();

        // The public URL serves a 16:9 PNG.
        HttpResponse<byte[]> panel = harness.http.send(HttpRequest.newBuilder(URI.create(imageUrl)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(panel.statusCode()).isEqualTo(200);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(panel.body()));
        assertThat((double) image.getWidth() / image.getHeight()).isCloseTo(16.0 / 9.0, org.assertj.core.data.Offset.offset(0.02));

        // Inputs leave storage and the worker's temp folder as the job ends.
        awaitInputsGone(jobId);
        assertThat(Files.exists(harness.workDir().resolve(jobId))).isFalse();

        // The image model got the photos, the story, 16:9 and 2K.
        var imageCall = harness.gemini.calls().stream()
                .filter(call -> call.model().equals(GeminiEmulator.IMAGE_MODEL)).reduce((a, b) -> b).orElseThrow();
        JsonNode request = imageCall.request();
        assertThat(request.at("/generationConfig/imageConfig/aspectRatio").asText()).isEqualTo("16:9");
        assertThat(request.at("/generationConfig/imageConfig/imageSize").asText()).isEqualTo("2K");
        assertThat(request.toString()).contains(job.path("result").path("story").asText().substring(0, 20));
        // Each photo went up once, and both calls referenced those uploads rather than carrying the bytes.
        assertThat(request.findValues("inlineData")).isEmpty();
        List<String> panelFiles = request.findValues("fileUri").stream().map(JsonNode::asText).toList();
        assertThat(panelFiles).hasSize(2).doesNotHaveDuplicates();
        var storyCall = harness.gemini.calls().stream()
                .filter(call -> call.model().equals(GeminiEmulator.STORY_MODEL)).reduce((a, b) -> b).orElseThrow();
        assertThat(storyCall.request().findValues("fileUri")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(panelFiles);
        assertThat(harness.gemini.calls()).allSatisfy(call ->
                assertThat(call.model()).isIn(GeminiEmulator.STORY_MODEL, GeminiEmulator.IMAGE_MODEL));
    }

    @Test
    @Order(2)
    void aLateSubscriberGetsTheEndStateAtOnceThenAClose() throws Exception {
        ensureWorker();
        String jobId = submit();
        harness.awaitStatus(api, jobId, "COMPLETED", WITHIN);
        FrameRecorder late = harness.subscribe(api, jobId);
        assertThat(late.closeCode(WITHIN)).isEqualTo(1000);
        assertThat(late.statuses()).containsExactly("COMPLETED");
    }

    @Test
    @Order(3)
    void aPermanentModelErrorFailsTheJobWithTheReasonAndCleansUp() throws Exception {
        ensureWorker();
        harness.gemini.enqueue(GeminiEmulator.STORY_MODEL, Fault.status(400, "INVALID_ARGUMENT", "Image too small"));
        String jobId = submit();
        JsonNode job = harness.awaitStatus(api, jobId, "FAILED", WITHIN);
        assertThat(job.path("error_message").asText()).contains("gemini-3.1-pro-preview")
                .contains("400 INVALID_ARGUMENT").contains("Gemini could not accept this request");
        assertThat(job.path("result").isNull()).isTrue();
        awaitInputsGone(jobId);
        assertThat(harness.objects("outputs/" + jobId + "/")).isEmpty();
    }

    @Test
    @Order(3)
    void aRefusedPhotoUploadFailsTheJobWithTheReasonAndLeavesNothingOnGemini() throws Exception {
        ensureWorker();
        // One of the two parallel uploads is refused; the other goes up and must be deleted all the same.
        harness.gemini.enqueue(GeminiEmulator.FILES, Fault.status(403, "PERMISSION_DENIED", "Uploads are disabled"));
        String jobId = submit();
        JsonNode job = harness.awaitStatus(api, jobId, "FAILED", WITHIN);
        assertThat(job.path("error_message").asText()).contains(GeminiGateway.FILES_API)
                .contains("403 PERMISSION_DENIED").contains("refused this service's access");
        awaitInputsGone(jobId);
        assertThat(harness.objects("outputs/" + jobId + "/")).isEmpty();
    }

    @Test
    @Order(4)
    void aSafetyBlockFailsTheJobWithAReasonAUserUnderstands() throws Exception {
        ensureWorker();
        harness.gemini.enqueue(GeminiEmulator.IMAGE_MODEL, Fault.finishReason("IMAGE_SAFETY"));
        String jobId = submit();
        JsonNode job = harness.awaitStatus(api, jobId, "FAILED", WITHIN);
        assertThat(job.path("error_message").asText()).containsIgnoringCase("safety");
        awaitInputsGone(jobId);
    }

    @Test
    @Order(5)
    void aJobEnqueuedOnOneApiInstanceIsWatchedLiveOnAnother() throws Exception {
        ensureWorker();
        ConfigurableApplicationContext other = harness.startApi();
        try {
            harness.gemini.setLatency(Duration.ofMillis(300));
            HttpResponse<String> accepted = harness.post(other, Photos.twoPhotos());
            String jobId = PanelHarness.json(accepted.body()).path("job_id").asText();
            FrameRecorder frames = harness.subscribe(api, jobId);
            assertThat(frames.closeCode(WITHIN)).isEqualTo(1000);
            List<String> statuses = frames.statuses();
            assertThat(statuses).last().isEqualTo("COMPLETED");
            assertThat(statuses).contains("GENERATING_IMAGE");
            assertThat(harness.job(other, jobId)).isEqualTo(harness.job(api, jobId));
        } finally {
            harness.gemini.setLatency(Duration.ZERO);
            harness.stop(other);
        }
    }

    @Test
    @Order(6)
    void pollingAndHistoryFollowTheContract() throws Exception {
        HttpResponse<String> unknown = harness.get(api, "/job/3f1c9a52-5d5e-4c1b-9d43-7c1f4c2b9e10");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(PanelHarness.json(unknown.body()).path("detail").asText()).isEqualTo("Job not found");
        assertThat(harness.get(api, "/job/not-a-uuid").statusCode()).isEqualTo(404);

        String newest = submit();
        JsonNode history = PanelHarness.json(harness.get(api, "/jobs?limit=3").body());
        assertThat(history.isArray()).isTrue();
        assertThat(history).hasSize(3);
        assertThat(history.get(0).path("job_id").asText()).isEqualTo(newest);
        JsonNode first = history.get(0);
        assertThat(first.fieldNames()).toIterable()
                .containsExactly("job_id", "status", "error_message", "result", "created_at", "updated_at");

        HttpResponse<String> nowhere = harness.get(api, "/no-such-page");
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(PanelHarness.json(nowhere.body()).path("detail").asText()).isEqualTo("Not found");

        HttpResponse<String> health = harness.get(api, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(PanelHarness.json(health.body()).path("status").asText()).isEqualTo("ok");
    }
}
