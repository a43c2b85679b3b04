package worker;

import emulator.GeminiEmulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clients.GeminiGateway;
import com.fasterxml.jackson.databind.JsonNode;
import emulator.Fault;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jobs.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.PendingMessage;
import support.EventTap;
import support.PanelHarness;
import support.Photos;
import support.WorkerProcess;

/**
 * Workers are real JVMs killed with SIGKILL in the middle of a job. The job must be taken over by a live worker
 * within a bounded time and end exactly once; a job that keeps killing its workers is dead-lettered and FAILED.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerCrashIT {
    /** Recognisable, so the workers' output can be searched for it. */
    private static final String GEMINI_KEY = "AIzaSy-crash-test-key-7f3a9c";
    private static final Map<String, String> FAST_RECLAIM = Map.of(
            "PANEL_RECLAIM_AFTER", "3s",
            "PANEL_HEARTBEAT", "1s",
            "GEMINI_API_KEY", GEMINI_KEY);
    private static final String MAX_DELIVERIES = "--panel.worker.max-deliveries=2";
    private static final Duration STARTUP = Duration.ofSeconds(90);
    /** reclaim-after (3 s) + a reclaim pass (every 0.75 s) + the rest of the job, with room for a slow machine. */
    private static final Duration TAKE_OVER = Duration.ofSeconds(20);

    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;
    private static EventTap events;
    private static final List<WorkerProcess> workers = new ArrayList<>();
    private static WorkerProcess survivor;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = harness.startApi();
        events = new EventTap(harness.redis.url());
    }

    @AfterAll
    static void stop() {
        workers.forEach(WorkerProcess::close);
        try {
            // No worker, whatever it went through, ever wrote the Gemini key into its output.
            for (WorkerProcess worker : workers) {
                assertThat(worker.output()).doesNotContain(GEMINI_KEY);
            }
        } finally {
            events.close();
            harness.close();
        }
    }

    private static WorkerProcess launch(String name) {
        WorkerProcess worker = WorkerProcess.start(harness, name, FAST_RECLAIM, MAX_DELIVERIES);
        workers.add(worker);
        return worker;
    }

    private static String submit() throws Exception {
        HttpResponse<String> response = harness.post(api, Photos.twoPhotos());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return PanelHarness.json(response.body()).path("job_id").asText();
    }

    private static List<PendingMessage> pending() {
        List<PendingMessage> all = new ArrayList<>();
        harness.redis.redis().opsForStream()
                .pending(RedisKeys.QUEUE, RedisKeys.QUEUE_GROUP, Range.unbounded(), 100).forEach(all::add);
        return all;
    }

    /** The worker whose consumer holds the one pending delivery, once it is being worked on. */
    private static WorkerProcess holder(List<WorkerProcess> candidates) {
        Optional<WorkerProcess>[] found = new Optional[] {Optional.empty()};
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<PendingMessage> pending = pending();
            found[0] = pending.size() != 1 ? Optional.empty() : candidates.stream()
                    .filter(worker -> worker.isConsumer(pending.get(0).getConsumerName())).findFirst();
            return found[0].isPresent();
        });
        return found[0].get();
    }

    private static void awaitQueueDrained() {
        await().atMost(TAKE_OVER).until(() -> pending().isEmpty()
                && harness.redis.redis().opsForStream().size(RedisKeys.QUEUE) == 0);
    }

    @Test
    @Order(1)
    void aJobWhoseWorkerIsKilledIsFinishedOnceByAnotherWorker() throws Exception {
        harness.gemini.enqueue(GeminiEmulator.IMAGE_MODEL, Fault.hang(Duration.ofSeconds(120)));
        WorkerProcess first = launch("worker-a");
        WorkerProcess second = launch("worker-b");
        first.awaitReady(STARTUP);
        second.awaitReady(STARTUP);

        String jobId = submit();
        harness.awaitStatus(api, jobId, "GENERATING_IMAGE", Duration.ofSeconds(30));
        WorkerProcess doomed = holder(List.of(first, second));
        survivor = doomed == first ? second : first;
        assertThat(harness.objects("inputs/" + jobId + "/")).hasSize(2);
        // Gemini has the photos by now: the worker's temp copies are already gone, though the job is still running.
        assertThat(Files.exists(harness.workDir().resolve(jobId))).isFalse();

        // The image call is hanging: kill its worker outright.
        doomed.kill();
        Instant killed = Instant.now();

        JsonNode job = harness.awaitStatus(api, jobId, "COMPLETED", TAKE_OVER);
        assertThat(Duration.between(killed, Instant.now())).isLessThan(TAKE_OVER);
        assertThat(job.path("result").path("image_url").asText()).endsWith("/outputs/" + jobId + "/panel.png");
        assertThat(survivor.output()).contains("Reclaimed job " + jobId);

        // Acknowledged once it ended: nothing left to run again.
        awaitQueueDrained();
        // Once from the user's point of view: one COMPLETED event, never a FAILED one, and one panel.
        assertThat(events.count(jobId, "COMPLETED")).isEqualTo(1);
        assertThat(events.statuses(jobId)).doesNotContain("FAILED").last().isEqualTo("COMPLETED");
        assertThat(harness.objects("outputs/" + jobId + "/")).contains("outputs/" + jobId + "/panel.png")
                .filteredOn(name -> name.endsWith(".png")).hasSize(1);
        // The hung call and the re-run: the model was asked twice, the second answer is the panel.
        assertThat(harness.gemini.callCount(GeminiEmulator.IMAGE_MODEL)).isEqualTo(2);
        // Inputs leave storage and the temp folder, even though the first worker never got to clean up.
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.objects("inputs/" + jobId + "/").isEmpty());
        assertThat(Files.exists(harness.workDir().resolve(jobId))).isFalse();
        assertThat(harness.gemini.calls()).allSatisfy(call -> assertThat(call.apiKey()).isEqualTo(GEMINI_KEY));
    }

    @Test
    @Order(2)
    void aJobThatKeepsKillingItsWorkersIsDeadLetteredAndFails() throws Exception {
        assertThat(survivor).as("the first test leaves one live worker").isNotNull();
        // Every image call hangs: each worker that takes this job is stuck in it until it is killed.
        harness.gemini.failAlways(GeminiEmulator.IMAGE_MODEL, Fault.hang(Duration.ofSeconds(120)));
        int imageCalls = harness.gemini.callCount(GeminiEmulator.IMAGE_MODEL);
        try {
            WorkerProcess other = launch("worker-c").awaitReady(STARTUP);
            String jobId = submit();

            // Delivery 1: crash.
            harness.awaitStatus(api, jobId, "GENERATING_IMAGE", Duration.ofSeconds(30));
            WorkerProcess one = holder(List.of(survivor, other));
            WorkerProcess two = one == survivor ? other : survivor;
            one.kill();

            // Delivery 2, on the other worker, reaches the image model again: crash again.
            await().atMost(TAKE_OVER).until(() -> harness.gemini.callCount(GeminiEmulator.IMAGE_MODEL) == imageCalls + 2);
            assertThat(holder(List.of(two))).isSameAs(two);
            assertThat(pending().get(0).getTotalDeliveryCount()).isEqualTo(2);
            two.kill();
            assertThat(harness.job(api, jobId).path("status").asText()).isNotIn("FAILED", "COMPLETED");

            // Delivery 3 exceeds max-deliveries (2): the next worker gives up on it instead of dying too.
            WorkerProcess last = launch("worker-d").awaitReady(STARTUP);
            JsonNode job = harness.awaitStatus(api, jobId, "FAILED", TAKE_OVER);
            assertThat(job.path("error_message").asText())
                    .contains("abandoned").contains("stopped without finishing it 2 times");
            assertThat(job.path("result").isNull()).isTrue();
            assertThat(harness.redis.redis().opsForZSet().score(RedisKeys.DEAD_LETTERS, jobId)).isNotNull();
            assertThat(last.output()).contains("Dead letter");
            // Given up without calling the model a third time, acknowledged, inputs deleted, FAILED published once.
            assertThat(harness.gemini.callCount(GeminiEmulator.IMAGE_MODEL)).isEqualTo(imageCalls + 2);
            awaitQueueDrained();
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.objects("inputs/" + jobId + "/").isEmpty());
            assertThat(events.count(jobId, "FAILED")).isEqualTo(1);
            assertThat(harness.objects("outputs/" + jobId + "/")).isEmpty();
        } finally {
            harness.gemini.clearFaults();
        }
    }
}
