package ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jobs.RedisKeys;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import support.PanelHarness;
import support.Photos;
import support.SlowReplyProxy;

/**
 * POST /generate when create-job ran in Redis but its reply came too late: the API asks whether the job exists
 * before deleting anything, finds it queued, and answers 202 with its photos still in storage. When Redis stays
 * silent it cannot tell: 503 naming the job id, so any client can look the job up.
 */
class CreateTimeoutIT {
    private static PanelHarness harness;
    private static SlowReplyProxy proxy;
    private static ConfigurableApplicationContext api;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        // create-job is the only command that names the queue stream.
        proxy = new SlowReplyProxy(harness.redis.port(), RedisKeys.QUEUE);
        api = harness.start(Map.of("panel.redis-url", proxy.url(), "spring.data.redis.timeout", "1s"), "api");
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
        proxy.close();
    }

    @Test
    void aCreateWhoseReplyTimedOutIsAnsweredAsQueuedAndKeepsItsInputs() throws Exception {
        // One job first, so create-job.lua is in Redis's script cache and the slow request runs it (EVALSHA).
        assertThat(harness.post(api, Photos.twoPhotos()).statusCode()).isEqualTo(202);
        long queuedBefore = harness.redis.redis().opsForStream().size(RedisKeys.QUEUE);
        proxy.arm(Duration.ofMillis(2500));
        HttpResponse<String> response = harness.post(api, Photos.twoPhotos());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String jobId = PanelHarness.json(response.body()).path("job_id").asText();
        assertThat(harness.redis.redis().opsForHash().get(RedisKeys.job(jobId), "status")).isEqualTo("QUEUED");
        assertThat(harness.redis.redis().opsForStream().size(RedisKeys.QUEUE)).isEqualTo(queuedBefore + 1);
        // The queued job's photos are still there for the worker.
        assertThat(harness.objects("inputs/" + jobId + "/")).hasSize(2);
    }

    @Test
    void whenRedisStaysSilentThe503NamesTheJobSoAClientWithoutIdempotencyKeyCanCheckIt() throws Exception {
        assertThat(harness.post(api, Photos.twoPhotos()).statusCode()).isEqualTo(202);
        long queuedBefore = harness.redis.redis().opsForStream().size(RedisKeys.QUEUE);
        // Longer than the 1 s create timeout plus every "does the job exist?" attempt (4 × (1 s + 0.5 s)).
        proxy.arm(Duration.ofSeconds(10));
        HttpResponse<String> response = harness.post(api, Photos.twoPhotos());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        String detail = PanelHarness.json(response.body()).path("detail").asText();
        Matcher named = Pattern.compile("queued as (\\S+)\\. GET /job/(\\S+) tells").matcher(detail);
        assertThat(named.find()).as(detail).isTrue();
        String jobId = named.group(1);
        assertThat(named.group(2)).isEqualTo(jobId);

        // create-job did run: once Redis answers again, GET /job/{id} finds the job, and its photos are kept.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> job = harness.get(api, "/job/" + jobId);
            assertThat(job.statusCode()).as(job.body()).isEqualTo(200);
            assertThat(PanelHarness.json(job.body()).path("status").asText()).isEqualTo("QUEUED");
        });
        assertThat(harness.redis.redis().opsForStream().size(RedisKeys.QUEUE)).isEqualTo(queuedBefore + 1);
        assertThat(harness.objects("inputs/" + jobId + "/")).hasSize(2);
    }
}
