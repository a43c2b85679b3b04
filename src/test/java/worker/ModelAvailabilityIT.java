package worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import emulator.Fault;
import emulator.GeminiEmulator;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import jobs.RedisKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import support.PanelHarness;
import support.Photos;

/**
 * The worker's gate on its Gemini models, on real parts: the SDK's models.get against the emulator (which serves
 * today's models and 404s the shut-down ones), a real Redis queue, API and worker contexts.
 */
@ExtendWith(OutputCaptureExtension.class)
class ModelAvailabilityIT {
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final String SHUT_DOWN_STORY_MODEL = "gemini-3-pro-preview";

    private PanelHarness harness;
    private ConfigurableApplicationContext api;

    @BeforeEach
    void start() throws Exception {
        harness = new PanelHarness();
        api = harness.startApi();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aWorkerWithTheDefaultModelsBecomesReadyAfterAskingGeminiAndServes() throws Exception {
        ConfigurableApplicationContext worker = harness.startWorker();

        await().atMost(WITHIN).until(() -> readiness(worker) == Status.UP);
        assertThat(harness.gemini.lookupCount(GeminiEmulator.STORY_MODEL)).as("models.get via the SDK").isPositive();
        assertThat(harness.gemini.lookupCount(GeminiEmulator.IMAGE_MODEL)).isPositive();
        assertThat(gauge(worker, GeminiEmulator.IMAGE_MODEL)).isEqualTo(1.0);

        String jobId = submit();
        harness.awaitStatus(api, jobId, "COMPLETED", WITHIN);
        // The job record names the models that made its story and panel; GET /job does not show them.
        Map<Object, Object> record = harness.redis.redis().opsForHash().entries(RedisKeys.job(jobId));
        assertThat(record).containsEntry("story_model", GeminiEmulator.STORY_MODEL)
                .containsEntry("image_model", GeminiEmulator.IMAGE_MODEL);
        assertThat(harness.job(api, jobId).has("story_model")).isFalse();
    }

    @Test
    void aWorkerConfiguredWithAShutDownModelIsNotReadySaysSoOnceAndTakesNoJob(CapturedOutput output) throws Exception {
        String jobId = submit();
        ConfigurableApplicationContext worker = harness.start(
                Map.of("panel.gemini.story-model", SHUT_DOWN_STORY_MODEL), "worker");

        await().atMost(WITHIN).until(() -> harness.gemini.lookupCount(SHUT_DOWN_STORY_MODEL) > 0
                && output.getOut().contains("Worker not ready"));
        assertThat(readiness(worker)).isEqualTo(Status.DOWN);
        assertThat(worker.getBean(ModelAvailability.class).isReady()).isFalse();
        assertThat(gauge(worker, SHUT_DOWN_STORY_MODEL)).isEqualTo(0.0);

        // The job waits in the queue: no Gemini call, still QUEUED, for as long as we care to watch.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(
                () -> harness.gemini.calls().isEmpty() && "QUEUED".equals(harness.job(api, jobId).path("status").asText()));

        // Exactly one ERROR line, naming the model, Google's answer and the variable to change.
        var errors = output.getOut().lines().filter(line -> line.contains("ERROR")).toList();
        assertThat(errors).singleElement().satisfies(line -> assertThat(line)
                .contains("GEMINI_STORY_MODEL=" + SHUT_DOWN_STORY_MODEL)
                .contains("404 NOT_FOUND: models/" + SHUT_DOWN_STORY_MODEL + " is not found for API version v1beta")
                .contains("set GEMINI_STORY_MODEL to a model Google serves"));

        // A later check with the same answer does not repeat the line.
        worker.getBean(ModelAvailability.class).checkNow();
        assertThat(output.getOut().lines().filter(line -> line.contains("ERROR")).count()).isEqualTo(1);
    }

    @Test
    void aModelThatDisappearsFailsJobsWithAClearReasonUnretriedAndFlipsReadinessAndTheMetric() throws Exception {
        ConfigurableApplicationContext worker = harness.startWorker();
        await().atMost(WITHIN).until(() -> readiness(worker) == Status.UP);

        // Google shuts the image model down between two checks: the next job meets it.
        harness.gemini.retire(GeminiEmulator.IMAGE_MODEL);
        String jobId = submit();
        JsonNode job = harness.awaitStatus(api, jobId, "FAILED", WITHIN);
        assertThat(job.path("error_message").asText()).isEqualTo("The panel model " + GeminiEmulator.IMAGE_MODEL
                + " is no longer served by Google (404 NOT_FOUND): an operator must set GEMINI_IMAGE_MODEL to a"
                + " current Gemini model and restart the worker");
        assertThat(harness.gemini.callCount(GeminiEmulator.IMAGE_MODEL)).as("a 404 is not retried").isEqualTo(1);

        // The periodic check (run now instead of in 10 minutes) finds it gone.
        ModelAvailability models = worker.getBean(ModelAvailability.class);
        assertThat(models.checkNow()).isTrue();
        assertThat(models.isReady()).isFalse();
        assertThat(readiness(worker)).isEqualTo(Status.DOWN);
        assertThat(gauge(worker, GeminiEmulator.IMAGE_MODEL)).isEqualTo(0.0);
        assertThat(worker.getBean(MeterRegistry.class).get("panel.gemini.model.unavailable")
                .tag("model", GeminiEmulator.IMAGE_MODEL).counter().count()).isEqualTo(1.0);
    }

    @Test
    void whileGeminiCannotBeReachedAtStartTheWorkerWaitsAndRetriesThenServes(CapturedOutput output) throws Exception {
        harness.gemini.enqueue(GeminiEmulator.MODEL_LOOKUP,
                Fault.status(503, "UNAVAILABLE", "The service is currently unavailable."));
        harness.gemini.enqueue(GeminiEmulator.MODEL_LOOKUP,
                Fault.status(503, "UNAVAILABLE", "The service is currently unavailable."));
        String jobId = submit();
        ConfigurableApplicationContext worker = harness.startWorker();

        await().atMost(WITHIN).until(() -> output.getOut().contains("Could not check the Gemini models"));
        await().atMost(WITHIN).until(() -> readiness(worker) == Status.UP);
        harness.awaitStatus(api, jobId, "COMPLETED", WITHIN);
        assertThat(output.getOut()).contains("503 UNAVAILABLE").doesNotContain("Worker not ready");
    }

    private String submit() throws Exception {
        HttpResponse<String> response = harness.post(api, Photos.twoPhotos());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return PanelHarness.json(response.body()).path("job_id").asText();
    }

    private static Status readiness(ConfigurableApplicationContext worker) {
        return worker.getBean(HealthEndpoint.class).healthForPath("readiness").getStatus();
    }

    private static double gauge(ConfigurableApplicationContext worker, String model) {
        return worker.getBean(MeterRegistry.class).get("panel.gemini.model.available").tag("model", model).gauge()
                .value();
    }
}
