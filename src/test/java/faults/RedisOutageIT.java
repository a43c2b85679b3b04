package faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import support.FrameRecorder;
import support.PanelHarness;
import support.Photos;

/**
 * The real redis-server goes away while a job is in flight: uploads are refused with 503 and leave nothing,
 * liveness stays up while readiness goes down, and once Redis is back the API and the worker carry on by
 * themselves: the job from before the outage completes, and new jobs are accepted and watched live.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageIT {
    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = harness.startApi();
        harness.start(Map.of("panel.worker.reclaim-after", "3s", "panel.worker.heartbeat", "1s"), "worker");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void duringAnOutageUploadsAreRefusedCleanlyAndAfterItEverythingCarriesOn(CapturedOutput output) throws Exception {
        // A job in flight: its story call takes 3 s, long enough for Redis to be gone when it answers.
        harness.gemini.setLatency(Duration.ofSeconds(3));
        String before = submit();
        harness.awaitStatus(api, before, "GENERATING_STORY", Duration.ofSeconds(20));
        FrameRecorder watching = harness.subscribe(api, before);
        // Subscribed once the first frame (read from Redis on connect) has arrived; only then take Redis away.
        await().atMost(Duration.ofSeconds(10)).until(() -> !watching.frames().isEmpty());
        long uploads = harness.gcs.requestCount("POST", "/upload/");

        harness.redis.stop();
        try {
            HttpResponse<String> refused = harness.post(api, Photos.twoPhotos());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(PanelHarness.json(refused.body()).path("detail").asText())
                    .contains("unavailable").contains("nothing was stored");
            HttpResponse<String> repeated = harness.post(api, Photos.twoPhotos(), "Idempotency-Key", "during-outage");
            assertThat(repeated.statusCode()).isEqualTo(503);
            // Refused before any photo was stored: no upload was even attempted.
            assertThat(harness.gcs.requestCount("POST", "/upload/")).isEqualTo(uploads);
            assertThat(harness.objects("inputs/")).allMatch(name -> name.startsWith("inputs/" + before + "/"));

            HttpResponse<String> health = harness.get(api, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(PanelHarness.json(health.body()).path("status").asText()).isEqualTo("ok");
            HttpResponse<String> readiness = harness.management(api, "/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(PanelHarness.json(readiness.body()).path("status").asText()).isEqualTo("DOWN");
            HttpResponse<String> poll = harness.get(api, "/job/" + before);
            assertThat(poll.statusCode()).isEqualTo(503);
            assertThat(PanelHarness.json(poll.body()).path("detail").asText()).contains("unavailable");

            // The worker's story call answers while Redis is down: it cannot record the next status.
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> output.getOut().contains("left pending"));
            // It keeps the photos: the delivery is still pending and will run again.
            assertThat(harness.objects("inputs/" + before + "/")).hasSize(2);
        } finally {
            harness.gemini.setLatency(Duration.ZERO);
            harness.redis.start();
        }

        // Nobody restarts anything: the connections come back by themselves.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> harness.management(api, "/actuator/health/readiness").statusCode() == 200);
        JsonNode finished = harness.awaitStatus(api, before, "COMPLETED", Duration.ofSeconds(30));
        assertThat(finished.path("error_message").isNull()).isTrue();
        // Someone watching since before the outage never saw it fail, and saw the end.
        assertThat(watching.closeCode(Duration.ofSeconds(10))).isEqualTo(1000);
        assertThat(watching.statuses()).doesNotContain("FAILED").last().isEqualTo("COMPLETED");
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.objects("inputs/" + before + "/").isEmpty());

        // A new job after the outage is accepted and followed live (the API's event subscription recovered too).
        String after = submit();
        FrameRecorder frames = harness.subscribe(api, after);
        assertThat(frames.closeCode(Duration.ofSeconds(30))).isEqualTo(1000);
        List<String> statuses = frames.statuses();
        assertThat(statuses).last().isEqualTo("COMPLETED");
        assertThat(statuses).contains("GENERATING_IMAGE");
    }

    private static String submit() throws Exception {
        HttpResponse<String> response = harness.post(api, Photos.twoPhotos());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return PanelHarness.json(response.body()).path("job_id").asText();
    }
}
