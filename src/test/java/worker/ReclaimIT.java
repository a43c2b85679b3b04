package worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import emulator.GeminiEmulator;
import emulator.Fault;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jobs.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import support.PanelHarness;
import support.Photos;
import support.WorkerProcess;

/**
 * Reclaiming silent jobs, with real worker JVMs: a worker claims no more than it has free slots, and two workers
 * reclaiming the same idle entry leave it pending for the winner, so the job is still protected if the winner dies.
 * A "ghost" consumer stands for a worker that read entries and died: its entries go idle and become reclaimable.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReclaimIT {
    private static final Map<String, String> ENV = Map.of("PANEL_RECLAIM_AFTER", "3s", "PANEL_HEARTBEAT", "1s");
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final String GHOST = "ghost";

    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;
    private final List<WorkerProcess> workers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = harness.startApi();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(WorkerProcess::close);
        harness.gemini.clearFaults();
    }

    private WorkerProcess launch(String name, String... args) {
        WorkerProcess worker = WorkerProcess.start(harness, name, ENV, args);
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
                .pending(RedisKeys.QUEUE, RedisKeys.QUEUE_GROUP, Range.unbounded(), 1000).forEach(all::add);
        return all;
    }

    private static long heldBy(WorkerProcess worker) {
        return pending().stream().filter(p -> worker.isConsumer(p.getConsumerName())).count();
    }

    private static long heldByGhost() {
        return pending().stream().filter(p -> GHOST.equals(p.getConsumerName())).count();
    }

    /** A worker that read {@code count} new entries and died: they stay pending under its name and go idle. */
    private static void ghostReads(int count) {
        var records = harness.redis.redis().opsForStream().read(Consumer.from(RedisKeys.QUEUE_GROUP, GHOST),
                StreamReadOptions.empty().count(count), StreamOffset.create(RedisKeys.QUEUE, ReadOffset.lastConsumed()));
        assertThat(records).hasSize(count);
    }

    @Test
    @Order(1)
    void aWorkerWithNoFreeSlotClaimsNoneOfTheReclaimableJobsUntilOneFrees() throws Exception {
        // The first job's image call returns after a while, the second's hangs: two slots taken.
        harness.gemini.enqueue(GeminiEmulator.IMAGE_MODEL, Fault.hang(Duration.ofSeconds(20)));
        harness.gemini.enqueue(GeminiEmulator.IMAGE_MODEL, Fault.hang(Duration.ofSeconds(120)));
        WorkerProcess worker = launch("slots-worker", "--panel.worker.max-concurrent-jobs=2").awaitReady(STARTUP);
        submit();
        submit();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> harness.gemini.callCount(GeminiEmulator.IMAGE_MODEL) == 2 && heldBy(worker) == 2);

        // Four more jobs, read by a worker that then died; idle past reclaim-after (3 s) they are reclaimable.
        for (int i = 0; i < 4; i++) {
            submit();
        }
        ghostReads(4);
        // The worker's slots are full: it claims none of them, however long they wait.
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10))
                .until(() -> heldByGhost() == 4 && heldBy(worker) == 2);

        // The first job ends and frees a slot: the worker now claims one, and never holds more than two.
        await().atMost(Duration.ofSeconds(30)).until(() -> heldByGhost() < 4);
        assertThat(heldBy(worker)).isLessThanOrEqualTo(2);
        assertThat(worker.output()).contains("Claimed idle entry");
    }

    @Test
    @Order(2)
    void twoWorkersReclaimingTheSameIdleEntryLeaveItPendingForTheWinner() throws Exception {
        harness.redis.flush();
        harness.redis.redis().opsForStream().createGroup(RedisKeys.QUEUE, ReadOffset.from("0"), RedisKeys.QUEUE_GROUP);
        // The winner hangs in the image call; the re-run after it dies succeeds.
        harness.gemini.enqueue(GeminiEmulator.IMAGE_MODEL, Fault.hang(Duration.ofSeconds(120)));
        String jobId = submit();
        ghostReads(1);

        // Both workers start with the entry already idle past reclaim-after: both try to claim it at once.
        WorkerProcess one = launch("racer-1");
        WorkerProcess two = launch("racer-2");
        one.awaitReady(STARTUP);
        two.awaitReady(STARTUP);
        harness.awaitStatus(api, jobId, "GENERATING_IMAGE", Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> heldBy(one) + heldBy(two) == 1);
        WorkerProcess winner = heldBy(one) == 1 ? one : two;
        WorkerProcess loser = winner == one ? two : one;

        // The loser's claim found the entry busy, not gone: it stays in the stream and pending for the winner,
        // through several of the loser's reclaim passes and the winner's heartbeats.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> heldBy(winner) == 1
                && harness.redis.redis().opsForStream().size(RedisKeys.QUEUE) == 1);

        // So the winner dying still leads to a re-run, by the loser.
        winner.kill();
        harness.awaitStatus(api, jobId, "COMPLETED", Duration.ofSeconds(30));
        assertThat(loser.output()).contains("Reclaimed job " + jobId);
        await().atMost(Duration.ofSeconds(10)).until(() -> pending().isEmpty());
    }
}
