package faults;

import emulator.GeminiEmulator;
import static org.assertj.core.api.Assertions.assertThat;

import clients.GeminiGateway;
import com.fasterxml.jackson.databind.JsonNode;
import emulator.Fault;
import emulator.RecordedCall;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;
import support.EventTap;
import support.PanelHarness;
import support.Photos;

/**
 * Faults injected into the real SDKs' traffic during whole jobs. Transient ones (429 with Retry-After, 500, 503,
 * a hang past the per-call timeout, storage 5xx) are retried on the same call and the job completes with a
 * truthful status trail; permanent ones fail the job at once with the reason; no call outlives the job deadline.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransientFaultsIT {
    private static final String STORY = GeminiEmulator.STORY_MODEL;
    private static final String IMAGE = GeminiEmulator.IMAGE_MODEL;
    private static final List<String> TRAIL = List.of("PROCESSING_IMAGES", "GENERATING_STORY", "GENERATING_IMAGE",
            "UPLOADING", "COMPLETED");
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;
    private static ConfigurableApplicationContext worker;
    private static EventTap events;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = harness.startApi();
        worker = harness.start(Map.of(
                "panel.gemini.call-timeout", "2s",
                // Room for a 1 s Retry-After to be honoured rather than capped.
                "panel.gemini.max-backoff", "5s"), "worker");
        events = new EventTap(harness.redis.url());
    }

    @AfterAll
    static void stop() {
        events.close();
        harness.close();
    }

    @AfterEach
    void clearFaults() {
        harness.gemini.clearFaults();
        harness.gcs.clearFaults();
    }

    private static String submit() throws Exception {
        HttpResponse<String> response = harness.post(api, Photos.twoPhotos());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return PanelHarness.json(response.body()).path("job_id").asText();
    }

    private static List<RecordedCall> calls(String model) {
        return harness.gemini.calls().stream().filter(call -> call.model().equals(model)).toList();
    }

    /** A fault to inject, and what must be seen to prove it was met and retried. */
    record Transient(String name, Runnable inject, Consumer<Instant> proof) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Transient> transientFaults() {
        return Stream.of(
                new Transient("story 429 with Retry-After 1 s", () -> harness.gemini.enqueue(STORY,
                        Fault.rateLimited(Duration.ofSeconds(1))), since -> {
                    List<RecordedCall> story = calls(STORY);
                    assertThat(story).hasSize(2);
                    // The backoff alone would be ~50 ms: the wait is the server's Retry-After.
                    assertThat(Duration.between(story.get(0).arrivedAt(), story.get(1).arrivedAt()))
                            .isGreaterThanOrEqualTo(Duration.ofMillis(950));
                }),
                new Transient("story 500", () -> harness.gemini.enqueue(STORY,
                        Fault.status(500, "INTERNAL", "An internal error has occurred.")),
                        since -> assertThat(calls(STORY)).hasSize(2)),
                new Transient("image 503 twice", () -> {
                    harness.gemini.enqueue(IMAGE, Fault.status(503, "UNAVAILABLE", "The model is overloaded."));
                    harness.gemini.enqueue(IMAGE, Fault.unavailable(Duration.ofMillis(200)));
                }, since -> assertThat(calls(IMAGE)).hasSize(3)),
                new Transient("image hangs past the 2 s call timeout", () -> harness.gemini.enqueue(IMAGE,
                        Fault.hang(Duration.ofSeconds(20))), since -> {
                    assertThat(calls(IMAGE)).hasSize(2);
                    // Given up after the call timeout, not after the 20 s hang.
                    assertThat(Duration.between(since, Instant.now())).isLessThan(Duration.ofSeconds(15));
                }),
                new Transient("storage 503 on photo upload", () -> harness.gcs.failNext("POST",
                        "/upload/storage/v1/b/" + PanelHarness.BUCKET + "/o", 503, 1),
                        since -> assertThat(harness.gcs.requestCount("POST", "/upload/")).isGreaterThanOrEqualTo(3)),
                new Transient("storage 503 on photo download", () -> harness.gcs.failNext("GET",
                        "inputs%2F.*alt=media", 503, 2),
                        since -> assertThat(harness.gcs.requestCount("GET", "inputs%2F.*alt=media"))
                                .isGreaterThanOrEqualTo(4)),
                new Transient("storage 500 on panel upload", () -> harness.gcs.failNext("POST",
                        "/upload/.*predefinedAcl", 500, 2),
                        since -> assertThat(harness.gcs.requestCount("POST", "/upload/.*predefinedAcl"))
                                .isGreaterThanOrEqualTo(4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFaults")
    @Order(1)
    void aTransientFaultIsRetriedAndTheJobCompletesWithATruthfulTrail(Transient fault) throws Exception {
        harness.gemini.reset();
        fault.inject().run();
        Instant since = Instant.now();
        String jobId = submit();
        JsonNode job = harness.awaitStatus(api, jobId, "COMPLETED", WITHIN);
        assertThat(job.path("error_message").isNull()).isTrue();
        assertThat(harness.objects("outputs/" + jobId + "/")).contains("outputs/" + jobId + "/panel.png");
        // Every status once, in order: retrying never shows up as FAILED, nor as a step done twice.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> events.statuses(jobId).size() == TRAIL.size());
        assertThat(events.statuses(jobId)).containsExactlyElementsOf(TRAIL);
        fault.proof().accept(since);
    }

    static Stream<Arguments> permanentFaults() {
        return Stream.of(
                Arguments.of(STORY, Fault.status(400, "INVALID_ARGUMENT", "Request contains an invalid argument."),
                        "400 INVALID_ARGUMENT"),
                Arguments.of(IMAGE, Fault.status(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers."),
                        "403 PERMISSION_DENIED"),
                Arguments.of(STORY, Fault.status(404, "NOT_FOUND", "models/gemini-3.1-pro-preview is not found."),
                        "404 NOT_FOUND"),
                Arguments.of(STORY, Fault.promptBlocked("SAFETY"), "safety"),
                Arguments.of(IMAGE, Fault.finishReason("IMAGE_SAFETY"), "safety"),
                Arguments.of(IMAGE, Fault.noImage("I can't draw that."), "image"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("permanentFaults")
    @Order(2)
    void aPermanentFaultFailsTheJobAtOnceWithTheReason(String model, Fault fault, String reason) throws Exception {
        harness.gemini.reset();
        harness.gemini.enqueue(model, fault);
        String jobId = submit();
        JsonNode job = harness.awaitStatus(api, jobId, "FAILED", WITHIN);
        assertThat(job.path("error_message").asText()).contains(model).containsIgnoringCase(reason);
        assertThat(job.path("result").isNull()).isTrue();
        // At once: the failing model was asked exactly once, and nothing came after it.
        assertThat(calls(model)).hasSize(1);
        if (model.equals(STORY)) {
            assertThat(calls(IMAGE)).isEmpty();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> harness.objects("inputs/" + jobId + "/").isEmpty());
        assertThat(harness.objects("outputs/" + jobId + "/")).isEmpty();
        assertThat(events.count(jobId, "FAILED")).isEqualTo(1);
    }

    @Test
    @Order(3)
    void aHungCallCannotOutliveTheJobDeadline() throws Exception {
        harness.stop(worker);
        // The per-call timeout (240 s) is far beyond the job's 5 s: only the deadline can stop this call.
        worker = harness.start(Map.of("panel.worker.job-timeout", "5s"), "worker");
        harness.gemini.reset();
        harness.gemini.failAlways(IMAGE, Fault.hang(Duration.ofSeconds(60)));
        Instant submitted = Instant.now();
        String jobId = submit();
        JsonNode job = harness.awaitStatus(api, jobId, "FAILED", Duration.ofSeconds(20));
        assertThat(Duration.between(submitted, Instant.now())).isLessThan(Duration.ofSeconds(12));
        assertThat(job.path("error_message").asText()).contains(IMAGE).contains("timed out");
        assertThat(calls(IMAGE)).hasSize(1);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> harness.objects("inputs/" + jobId + "/").isEmpty());
    }
}
