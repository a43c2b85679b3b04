package ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import jobs.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import support.PanelHarness;
import support.Photos;

/**
 * POST /generate with an Idempotency-Key: a repeat answers with the first job and stores and enqueues nothing;
 * requests racing with the same key end as one job with no leftover photos. No worker runs, so what the first
 * request stored stays visible.
 */
class IdempotencyIT {
    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = harness.startApi();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static long queueLength() {
        Long size = harness.redis.redis().opsForStream().size(RedisKeys.QUEUE);
        return size == null ? 0 : size;
    }

    private static String jobId(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return PanelHarness.json(response.body()).path("job_id").asText();
    }

    @Test
    void aRepeatedKeyReturnsTheFirstJobAndStoresAndEnqueuesNothing() throws Exception {
        long queued = queueLength();
        String first = jobId(harness.post(api, Photos.twoPhotos(), "Idempotency-Key", "order-1"));
        assertThat(queueLength()).isEqualTo(queued + 1);
        List<String> objects = harness.objects("");
        long uploads = harness.gcs.requestCount("POST", "/upload/");

        HttpResponse<String> again = harness.post(api, Photos.twoPhotos(), "Idempotency-Key", "order-1");
        assertThat(jobId(again)).isEqualTo(first);
        assertThat(again.headers().firstValue("Location")).contains("/job/" + first);
        assertThat(PanelHarness.json(again.body()).path("status").asText()).isEqualTo("QUEUED");
        assertThat(queueLength()).isEqualTo(queued + 1);
        assertThat(harness.gcs.requestCount("POST", "/upload/")).isEqualTo(uploads);
        assertThat(harness.objects("")).isEqualTo(objects);

        // Another key is another job.
        String other = jobId(harness.post(api, Photos.twoPhotos(), "Idempotency-Key", "order-2"));
        assertThat(other).isNotEqualTo(first);
        assertThat(queueLength()).isEqualTo(queued + 2);
    }

    @Test
    void concurrentRequestsWithOneKeyMakeOneJobAndLeaveNoStrayPhotos() throws Exception {
        long queued = queueLength();
        Set<String> before = prefixes(harness.objects("inputs/"));
        int racers = 6;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                Callable<String> request = () -> {
                    go.await();
                    return jobId(harness.post(api, Photos.twoPhotos(), "Idempotency-Key", "race-1"));
                };
                answers.add(pool.submit(request));
            }
            go.countDown();
            Set<String> ids = new java.util.HashSet<>();
            for (Future<String> answer : answers) {
                ids.add(answer.get());
            }
            assertThat(ids).hasSize(1);
            String winner = ids.iterator().next();
            assertThat(queueLength()).isEqualTo(queued + 1);
            // Racers that uploaded before losing have deleted their copies: only the winner's photos remain.
            Set<String> after = prefixes(harness.objects("inputs/"));
            after.removeAll(before);
            assertThat(after).containsExactly(winner);
            assertThat(harness.objects("inputs/" + winner + "/")).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Set<String> prefixes(List<String> names) {
        return names.stream().map(name -> name.split("/")[1]).collect(Collectors.toCollection(java.util.HashSet::new));
    }
}
