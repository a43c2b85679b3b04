package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import support.CommandCountingProxy;
import support.FrameRecorder;
import support.PanelHarness;
import support.Photos;

/**
 * Redis round trips a job costs, end to end: every command the API and the worker send, counted on the wire by a
 * proxy in front of each (a script is one round trip, whatever it runs inside). The ceilings keep the redundant
 * PING out of intake, the status writes merged with their publish and the claim merged with the model pin
 * (BENCHMARKS.md, issue 15).
 */
class RedisRoundTripsIT {
    private static final int JOBS = 8;
    /**
     * Admission looked at on the headers, counted once the photos are read; the job created and queued. Before: 4,
     * with a PING to learn whether Redis was up, which the admission right after it learns anyway.
     */
    private static final double API_CEILING = 3.0;
    /**
     * Read the entry, claim it and pin its models, five status changes each published by the same script,
     * acknowledge: 8; the rest is the consumer's own polling (a reclaim a second, reads that time out), 1.1-1.6 a job
     * in the runs made and more on a slower machine, hence the margin. Before the merges: 15.6 a job (claim and pin
     * apart, a PUBLISH after each change).
     */
    private static final double WORKER_CEILING = 11.0;

    private static PanelHarness harness;
    private static CommandCountingProxy apiRedis;
    private static CommandCountingProxy workerRedis;
    private static ConfigurableApplicationContext api;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        apiRedis = new CommandCountingProxy(harness.redis.port());
        workerRedis = new CommandCountingProxy(harness.redis.port());
        api = harness.start(Map.of("panel.redis-url", apiRedis.url()), "api");
        harness.start(Map.of("panel.redis-url", workerRedis.url()), "worker");
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
        apiRedis.close();
        workerRedis.close();
    }

    @Test
    void aJobCostsFewRedisRoundTrips() throws Exception {
        // Warm-up: scripts loaded (a first EVALSHA answered NOSCRIPT is followed by an EVAL), connections open.
        runJobs(2);
        Map<String, Long> api0 = apiRedis.counts();
        Map<String, Long> worker0 = workerRedis.counts();
        runJobs(JOBS);
        Map<String, Long> apiCalls = delta(api0, apiRedis.counts());
        Map<String, Long> workerCalls = delta(worker0, workerRedis.counts());
        // The API reads a job when a subscriber connects (HGETALL, twice: to check it exists, then the snapshot once
        // subscribed): the subscriber's cost, not the job's, and no script ever runs a bare HGETALL from the API.
        double apiPerJob = (total(apiCalls) - apiCalls.getOrDefault("hgetall", 0L)) / (double) JOBS;
        double workerPerJob = total(workerCalls) / (double) JOBS;

        System.out.printf("Redis round trips a job: API %.2f %s; worker %.2f %s%n",
                apiPerJob, apiCalls, workerPerJob, workerCalls);
        assertThat(apiPerJob).as("API round trips a job: %s", apiCalls).isLessThanOrEqualTo(API_CEILING);
        assertThat(workerPerJob).as("worker round trips a job: %s", workerCalls).isLessThanOrEqualTo(WORKER_CEILING);
    }

    /** Submits {@code count} jobs, each watched on its WebSocket, and waits until all are COMPLETED. */
    private void runJobs(int count) throws Exception {
        List<FrameRecorder> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = harness.post(api, Photos.twoPhotos());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            sockets.add(harness.subscribe(api, PanelHarness.json(response.body()).path("job_id").asText()));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> sockets.stream().allMatch(s -> s.statuses().contains("COMPLETED")));
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((name, calls) -> {
            long d = calls - before.getOrDefault(name, 0L);
            if (d != 0) {
                delta.put(name, d);
            }
        });
        return delta;
    }

    private static long total(Map<String, Long> calls) {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }
}
