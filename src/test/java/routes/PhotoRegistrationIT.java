package routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.storage.BlobId;
import emulator.Fault;
import emulator.GeminiEmulator;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import support.PanelHarness;
import support.Photos;

/**
 * PANEL_GEMINI_PHOTOS=register on real parts: the photos never pass through the worker. It checks they are in
 * storage, registers them with Gemini in one files:register call (the emulator reads them from the storage
 * emulator), both model calls reference the registered files, and those go when the job ends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PhotoRegistrationIT {
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;
    private static ConfigurableApplicationContext worker;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        harness.gemini.setStorageUrl(harness.gcs.baseUrl());
        api = harness.startApi();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static void ensureWorker() {
        if (worker == null) {
            worker = harness.start(Map.of("panel.gemini.photos", "register"), "worker");
        }
    }

    /** Stops the worker (the next test starts the one it needs) and forgets what Gemini saw and was told to do. */
    private static void noWorkerAndFreshGemini() {
        if (worker != null) {
            harness.stop(worker);
            worker = null;
        }
        harness.gemini.reset();
        harness.gemini.setStorageUrl(harness.gcs.baseUrl());
    }

    private static String submit() throws Exception {
        HttpResponse<String> response = harness.post(api, Photos.twoPhotos());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return PanelHarness.json(response.body()).path("job_id").asText();
    }

    @Test
    @Order(1)
    void geminiReadsThePhotosFromStorageAndTheWorkerNeverHoldsThem() throws Exception {
        ensureWorker();
        String jobId = submit();
        JsonNode job = harness.awaitStatus(api, jobId, "COMPLETED", WITHIN);

        // Registered where intake stored them, once each; nothing went through the Files API upload.
        assertThat(harness.gemini.registrations()).containsExactly(
                "gs://" + PanelHarness.BUCKET + "/inputs/" + jobId + "/1-beach.jpg",
                "gs://" + PanelHarness.BUCKET + "/inputs/" + jobId + "/2-dog.png");
        assertThat(harness.gemini.uploads()).isEmpty();
        assertThat(Files.exists(harness.workDir().resolve(jobId))).isFalse();

        // Both calls reference the registered files, each with the type intake found.
        var imageCall = harness.gemini.calls().stream()
                .filter(call -> call.model().equals(GeminiEmulator.IMAGE_MODEL)).reduce((a, b) -> b).orElseThrow();
        var storyCall = harness.gemini.calls().stream()
                .filter(call -> call.model().equals(GeminiEmulator.STORY_MODEL)).reduce((a, b) -> b).orElseThrow();
        List<String> panelFiles = imageCall.request().findValues("fileUri").stream().map(JsonNode::asText).toList();
        assertThat(panelFiles).hasSize(2).doesNotHaveDuplicates();
        assertThat(storyCall.request().findValues("fileUri")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(panelFiles);
        assertThat(imageCall.request().findValues("mimeType")).extracting(JsonNode::asText)
                .containsExactly("image/jpeg", "image/png");
        assertThat(imageCall.request().findValues("inlineData")).isEmpty();

        // The panel was drawn from the photos' bytes, read by Gemini from storage, and stored as usual.
        String imageUrl = job.path("result").path("image_url").asText();
        HttpResponse<byte[]> panel = harness.http.send(HttpRequest.newBuilder(URI.create(imageUrl)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(panel.statusCode()).isEqualTo(200);

        // The registrations and the inputs go when the job ends.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                harness.gemini.files().isEmpty() && harness.objects("inputs/" + jobId + "/").isEmpty());
    }

    @Test
    @Order(2)
    void aPhotoMissingFromStorageFailsTheJobBeforeGeminiIsAsked() throws Exception {
        noWorkerAndFreshGemini();
        String jobId = submit();
        harness.storage.delete(BlobId.of(PanelHarness.BUCKET, "inputs/" + jobId + "/2-dog.png"));

        ensureWorker();
        JsonNode job = harness.awaitStatus(api, jobId, "FAILED", WITHIN);
        assertThat(job.path("error_message").asText()).contains("missing from storage").contains("2-dog.png");
        assertThat(harness.gemini.registrations()).isEmpty();
        assertThat(harness.gemini.calls()).isEmpty();
    }

    @Test
    @Order(3)
    void aRegistrationThatHangsIsTriedAgainAfterTheFilesTimeoutNotTheModelCallsOne() throws Exception {
        noWorkerAndFreshGemini();
        // The model calls keep their 240 s; a files:register silent for 2 s is stuck and is tried again.
        worker = harness.start(Map.of("panel.gemini.photos", "register", "panel.gemini.files-call-timeout", "2s"),
                "worker");
        harness.gemini.enqueue(GeminiEmulator.FILES, Fault.hang(Duration.ofMinutes(10)));
        String jobId = submit();

        harness.awaitStatus(api, jobId, "COMPLETED", WITHIN);
        assertThat(harness.gemini.registrations()).hasSize(2);
        harness.stop(worker);
        worker = null;
    }

    @Test
    @Order(4)
    void storageFailingTheCheckSaysThePhotosWereCheckedNotDownloaded() throws Exception {
        noWorkerAndFreshGemini();
        String jobId = submit();
        // Every metadata read of this job's photos fails, retries included: storage is down for this job.
        harness.gcs.failNext("GET", "/o/inputs%2F" + jobId + "%2F", 503, 1000);
        try {
            ensureWorker();
            JsonNode job = harness.awaitStatus(api, jobId, "FAILED", WITHIN);
            assertThat(job.path("error_message").asText())
                    .startsWith("Could not check the photos in storage: storage was unavailable (HTTP 503)")
                    .doesNotContain("download");
        } finally {
            harness.gcs.clearFaults();
        }
        assertThat(harness.gemini.registrations()).isEmpty();
    }
}
