package worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import emulator.GeminiEmulator;
import emulator.Fault;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import jobs.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import support.FrameRecorder;
import support.PanelHarness;
import support.Photos;
import support.WorkerProcess;

/**
 * A worker SIGKILLed just after recording a job's end, before publishing it: the subscriber still gets the end
 * frame and a normal close. Killing a real worker JVM mid-job and then writing the end state as it would have
 * stands for the kill falling exactly between the two Redis commands.
 */
class EndFrameIT {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Map<String, String> FAST_RECLAIM = Map.of("PANEL_RECLAIM_AFTER", "3s", "PANEL_HEARTBEAT", "1s");

    private static PanelHarness harness;
    /** Re-reads open sockets' jobs only every 5 minutes: end frames it relays come from a worker's event. */
    private static ConfigurableApplicationContext slowRefreshApi;
    /** Re-reads open sockets' jobs every second. */
    private static ConfigurableApplicationContext fastRefreshApi;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        slowRefreshApi = harness.start(Map.of("panel.jobs.subscriber-refresh", "300s"), "api");
        fastRefreshApi = harness.start(Map.of("panel.jobs.subscriber-refresh", "1s"), "api");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /** Submits a job, lets a worker take it into a hanging image call and SIGKILLs that worker there. */
    private static String jobWhoseWorkerDied(ConfigurableApplicationContext api) throws Exception {
        harness.gemini.enqueue(GeminiEmulator.IMAGE_MODEL, Fault.hang(Duration.ofSeconds(120)));
        try (WorkerProcess worker = WorkerProcess.start(harness, "doomed-" + System.nanoTime(), FAST_RECLAIM)) {
            worker.awaitReady(STARTUP);
            HttpResponse<String> response = harness.post(api, Photos.twoPhotos());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            String jobId = PanelHarness.json(response.body()).path("job_id").asText();
            harness.awaitStatus(api, jobId, "GENERATING_IMAGE", Duration.ofSeconds(30));
            worker.kill();
            return jobId;
        }
    }

    /** What transition-job.lua does for COMPLETED, without the PUBLISH that should follow it. */
    private static void recordEndWithoutPublishing(String jobId) {
        String key = RedisKeys.job(jobId);
        var hash = harness.redis.redis().opsForHash();
        hash.putAll(key, Map.of("status", "COMPLETED", "updated_at", Instant.now().toString(),
                "image_url", "https://example.test/outputs/" + jobId + "/panel.png", "story", "A story."));
        hash.increment(key, "version", 1);
    }

    @Test
    void theNextDeliveryRepublishesAnEndStateThatWasNeverPublished() throws Exception {
        String jobId = jobWhoseWorkerDied(slowRefreshApi);
        FrameRecorder frames = harness.subscribe(slowRefreshApi, jobId);
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.statuses().contains("GENERATING_IMAGE"));
        recordEndWithoutPublishing(jobId);

        try (WorkerProcess next = WorkerProcess.start(harness, "next", FAST_RECLAIM)) {
            next.awaitReady(STARTUP);
            assertThat(frames.closeCode(Duration.ofSeconds(30))).isEqualTo(1000);
            assertThat(frames.statuses()).last().isEqualTo("COMPLETED");
            assertThat(next.output()).contains("publishing its end state again");
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.objects("inputs/" + jobId + "/").isEmpty());
        }
    }

    @Test
    void anOpenSocketGetsTheRecordedEndStateWithinTheRefreshEvenWithNoWorkerLeft() throws Exception {
        String jobId = jobWhoseWorkerDied(fastRefreshApi);
        FrameRecorder frames = harness.subscribe(fastRefreshApi, jobId);
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.statuses().contains("GENERATING_IMAGE"));
        recordEndWithoutPublishing(jobId);

        assertThat(frames.closeCode(Duration.ofSeconds(5))).isEqualTo(1000);
        assertThat(frames.statuses()).last().isEqualTo("COMPLETED");
    }
}
