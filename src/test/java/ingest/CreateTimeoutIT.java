package ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import jobs.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import support.PanelHarness;
import support.Photos;
import support.SlowReplyProxy;

/**
 * POST /generate when create-job ran in Redis but its reply came too late: the API asks whether the job exists
 * before deleting anything, finds it queued, and answers 202 with its photos still in storage.
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
        proxy.arm(Duration.ofMillis(2500));
        HttpResponse<String> response = harness.post(api, Photos.twoPhotos());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String jobId = PanelHarness.json(response.body()).path("job_id").asText();
        assertThat(harness.redis.redis().opsForHash().get(RedisKeys.job(jobId), "status")).isEqualTo("QUEUED");
        assertThat(harness.redis.redis().opsForStream().size(RedisKeys.QUEUE)).isEqualTo(2);
        // The queued job's photos are still there for the worker.
        assertThat(harness.objects("inputs/" + jobId + "/")).hasSize(2);
    }
}
