package worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import emulator.GeminiEmulator;
import com.fasterxml.jackson.databind.JsonNode;
import emulator.Fault;
import emulator.RecordedCall;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jobs.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.PendingMessage;
import support.EventTap;
import support.PanelHarness;
import support.Photos;
import support.WorkerProcess;

/**
 * Deploys and scale-ins send SIGTERM and, 10 s later, SIGKILL. A worker stopped mid-job hands the job to another
 * worker at once, without counting a delivery: one SIGTERM costs seconds, and three in a row during one job still
 * end COMPLETED, although max-deliveries is 2 and reclaim-after (60 s) is far beyond the test's deadlines.
 */
class HandOffIT {
    private static final Map<String, String> ENV = Map.of(
            "PANEL_RECLAIM_AFTER", "60s",
            "PANEL_HEARTBEAT", "1s",
            "PANEL_HAND_BACK_AFTER", "2s");
    private static final String MAX_DELIVERIES = "--panel.worker.max-deliveries=2";
    private static final Duration STARTUP = Duration.ofSeconds(90);
    /** Cloud Run's SIGKILL comes 10 s after SIGTERM: the worker must be gone by then. */
    private static final Duration CLOUD_RUN_GRACE = Duration.ofSeconds(10);
    private static final Duration HAND_OFF = Duration.ofSeconds(15);

    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;
    private static EventTap events;
    private static final List<WorkerProcess> workers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = harness.startApi();
        events = new EventTap(harness.redis.url());
    }

    @AfterAll
    static void stop() {
        workers.forEach(WorkerProcess::close);
        events.close();
        harness.close();
    }

    private static WorkerProcess launch(String name) {
        WorkerProcess worker = WorkerProcess.start(harness, name, ENV, MAX_DELIVERIES);
        workers.add(worker);
        return worker;
    }

    private static List<PendingMessage> pending() {
        List<PendingMessage> all = new ArrayList<>();
        harness.redis.redis().opsForStream()
                .pending(RedisKeys.QUEUE, RedisKeys.QUEUE_GROUP, Range.unbounded(), 100).forEach(all::add);
        return all;
    }

    /** The live worker holding the job's one pending entry, once its image call is under way. */
    private static WorkerProcess holder(int imageCalls) {
        WorkerProcess[] found = new WorkerProcess[1];
        await().atMost(HAND_OFF).until(() -> {
            List<PendingMessage> pending = pending();
            if (pending.size() != 1 || harness.gemini.callCount(GeminiEmulator.IMAGE_MODEL) < imageCalls) {
                return false;
            }
            found[0] = workers.stream().filter(WorkerProcess::isAlive)
                    .filter(worker -> worker.isConsumer(pending.get(0).getConsumerName())).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    /** Seconds from {@code since} to the first model call after it: the next worker has resumed the job. */
    private static Duration firstModelCallAfter(Instant since) {
        RecordedCall[] call = new RecordedCall[1];
        await().atMost(HAND_OFF).until(() -> {
            call[0] = harness.gemini.calls().stream().filter(c -> c.arrivedAt().isAfter(since)).findFirst()
                    .orElse(null);
            return call[0] != null;
        });
        return Duration.between(since, call[0].arrivedAt());
    }

    @Test
    void threeSigtermsDuringOneJobHandItOnEachTimeAndItStillCompletes() throws Exception {
        // The first three image calls hang: each worker holding the job is stopped in the middle of one.
        for (int i = 0; i < 3; i++) {
            harness.gemini.enqueue(GeminiEmulator.IMAGE_MODEL, Fault.hang(Duration.ofSeconds(120)));
        }
        launch("worker-1").awaitReady(STARTUP);
        launch("worker-2").awaitReady(STARTUP);

        HttpResponse<String> response = harness.post(api, Photos.twoPhotos());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String jobId = PanelHarness.json(response.body()).path("job_id").asText();

        List<Duration> handOffs = new ArrayList<>();
        for (int stop = 1; stop <= 3; stop++) {
            WorkerProcess doomed = holder(stop);
            if (stop < 3) {
                // A fresh worker for the next round; it joins the group while the job runs.
                launch("worker-" + (stop + 2)).awaitReady(STARTUP);
            }
            Instant sigterm = Instant.now();
            assertThat(doomed.terminate(CLOUD_RUN_GRACE)).as("worker exits before Cloud Run's SIGKILL").isTrue();
            Duration handOff = firstModelCallAfter(sigterm);
            handOffs.add(handOff);
            assertThat(handOff).isLessThan(HAND_OFF);
            assertThat(doomed.output()).contains("Handed back 1 entries");
        }
        System.out.println("HAND-OFF seconds from SIGTERM to the next worker's first model call: "
                + handOffs.stream().map(d -> String.format("%.1f", d.toMillis() / 1000.0)).toList());

        JsonNode job = harness.awaitStatus(api, jobId, "COMPLETED", Duration.ofSeconds(30));
        assertThat(job.path("result").path("image_url").asText()).endsWith("/outputs/" + jobId + "/panel.png");
        // No hand-off counted as a failed delivery: never dead-lettered, never FAILED, one COMPLETED, one panel.
        assertThat(harness.redis.redis().opsForZSet().score(RedisKeys.DEAD_LETTERS, jobId)).isNull();
        assertThat(events.statuses(jobId)).doesNotContain("FAILED").last().isEqualTo("COMPLETED");
        assertThat(events.count(jobId, "COMPLETED")).isEqualTo(1);
        assertThat(harness.objects("outputs/" + jobId + "/")).filteredOn(name -> name.endsWith(".png")).hasSize(1);
        assertThat(harness.gemini.callCount(GeminiEmulator.IMAGE_MODEL)).isEqualTo(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> pending().isEmpty()
                && harness.redis.redis().opsForStream().size(RedisKeys.QUEUE) == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.objects("inputs/" + jobId + "/").isEmpty());
    }
}
