package faults;

import emulator.GeminiEmulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import clients.GeminiGateway;
import com.fasterxml.jackson.databind.JsonNode;
import emulator.Fault;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import redis.embedded.RedisServer;
import support.FrameRecorder;
import support.PanelHarness;
import support.Photos;
import support.TestRedis;

/** The Gemini key and the Redis password never reach the logs or an HTTP answer, in success or in failure. */
@ExtendWith(OutputCaptureExtension.class)
class SecretsIT {
    private static final String GEMINI_KEY = "AIzaSy-secrets-test-key-91c2e4";
    private static final String REDIS_PASSWORD = "s3cret-panel-pw-58d1";

    private static PanelHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static String submit(ConfigurableApplicationContext app) throws Exception {
        HttpResponse<String> response = harness.post(app, Photos.twoPhotos());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return PanelHarness.json(response.body()).path("job_id").asText();
    }

    @Test
    void theGeminiKeyIsUsedButNeverLoggedNorAnswered(CapturedOutput output) throws Exception {
        harness.gemini.reset();
        ConfigurableApplicationContext app = harness.start(Map.of("panel.gemini.api-key", GEMINI_KEY,
                "panel.log-format", "json"), "api", "worker");
        List<String> bodies = new ArrayList<>();
        try {
            harness.gemini.enqueue(GeminiEmulator.STORY_MODEL, Fault.rateLimited(Duration.ofMillis(100)));
            String done = submit(app);
            bodies.add(harness.awaitStatus(app, done, "COMPLETED", Duration.ofSeconds(30)).toString());
            harness.gemini.enqueue(GeminiEmulator.IMAGE_MODEL,
                    Fault.status(403, "PERMISSION_DENIED", "API key not valid. Please pass a valid API key."));
            String refused = submit(app);
            bodies.add(harness.awaitStatus(app, refused, "FAILED", Duration.ofSeconds(30)).toString());
            bodies.add(harness.get(app, "/jobs").body());
        } finally {
            harness.stop(app);
        }
        assertThat(harness.gemini.calls()).isNotEmpty().extracting(call -> call.apiKey()).containsOnly(GEMINI_KEY);
        assertThat(output.getOut()).contains("API key not valid").doesNotContain(GEMINI_KEY);
        assertThat(output.getErr()).doesNotContain(GEMINI_KEY);
        assertThat(bodies).noneMatch(body -> body.contains(GEMINI_KEY));
    }

    /**
     * Google's answer to a suspended key quotes the whole key. The job fails with a reason a user understands; the key
     * is in neither the job, its history entry, its WebSocket frames nor any log line (Google's text is logged, with
     * the key taken out).
     */
    @Test
    void aGeminiErrorQuotingTheKeyFailsTheJobWithAFriendlyReasonAndTheKeyGoesNowhere(CapturedOutput output)
            throws Exception {
        String key = "AIzaSyEdgeSuspended-Key_0123456789abcdef";
        harness.gemini.reset();
        ConfigurableApplicationContext app = harness.start(Map.of("panel.gemini.api-key", key,
                "panel.log-format", "json"), "api", "worker");
        List<String> texts = new ArrayList<>();
        try {
            harness.gemini.setLatency(Duration.ofMillis(300));
            harness.gemini.enqueue(GeminiEmulator.STORY_MODEL, Fault.status(403, "PERMISSION_DENIED",
                    "Consumer 'api_key:" + key + "' has been suspended."));
            String jobId = submit(app);
            FrameRecorder frames = harness.subscribe(app, jobId);
            JsonNode job = harness.awaitStatus(app, jobId, "FAILED", Duration.ofSeconds(30));
            assertThat(frames.closeCode(Duration.ofSeconds(30))).isEqualTo(1000);
            assertThat(frames.statuses()).last().isEqualTo("FAILED");

            String reason = job.path("error_message").asText();
            assertThat(reason).contains(GeminiEmulator.STORY_MODEL).contains("403 PERMISSION_DENIED")
                    .contains("refused this service's access").doesNotContain("Consumer").doesNotContain("api_key");
            texts.add(job.toString());
            texts.add(harness.get(app, "/jobs").body());
            frames.frames().forEach(frame -> texts.add(frame.toString()));
        } finally {
            harness.gemini.setLatency(Duration.ZERO);
            harness.stop(app);
        }
        assertThat(harness.gemini.calls()).extracting(call -> call.apiKey()).contains(key);
        assertThat(texts).hasSizeGreaterThan(3).noneMatch(text -> text.contains(key) || text.contains("AIza"));
        // Google's own words stay in the logs for the operator, the key taken out of them.
        assertThat(output.getOut()).contains("Consumer 'api_key:[redacted]' has been suspended")
                .doesNotContain(key).doesNotContain("AIzaSyEdge");
        assertThat(output.getErr()).doesNotContain(key);
    }

    @Test
    void theRedisPasswordIsNeverLoggedNorAnsweredWhenRedisFails(CapturedOutput output) throws Exception {
        int port = TestRedis.freePort();
        RedisServer secured = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("requirepass " + REDIS_PASSWORD).build();
        secured.start();
        String url = "redis://:" + REDIS_PASSWORD + "@127.0.0.1:" + port;
        List<String> bodies = new ArrayList<>();
        ConfigurableApplicationContext app = null;
        try {
            app = harness.start(Map.of("panel.redis-url", url, "panel.log-format", "json"), "api", "worker");
            // The password is right: a job goes through.
            String jobId = submit(app);
            harness.awaitStatus(app, jobId, "COMPLETED", Duration.ofSeconds(30));

            secured.stop();
            HttpResponse<String> refused = harness.post(app, Photos.twoPhotos());
            assertThat(refused.statusCode()).isEqualTo(503);
            bodies.add(refused.body());
            HttpResponse<String> readiness = harness.management(app, "/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(503);
            bodies.add(readiness.body());
            bodies.add(harness.management(app, "/actuator/health").body());
            bodies.add(harness.get(app, "/job/" + jobId).body());
            // The worker hits the outage too and says so.
            await().atMost(Duration.ofSeconds(20)).until(() -> output.getOut().toLowerCase(java.util.Locale.ROOT).contains("queue unavailable"));
        } finally {
            if (app != null) {
                harness.stop(app);
            }
            secured.stop();
        }
        // A REDIS_URL with the wrong scheme is refused at start-up without echoing it.
        assertThatThrownBy(() -> harness.start(Map.of("panel.redis-url",
                "http://:" + REDIS_PASSWORD + "@127.0.0.1:" + port), "api"))
                .satisfies(e -> assertThat(stackOf(e)).doesNotContain(REDIS_PASSWORD));
        assertThat(output.getOut()).contains("REDIS_URL must start with redis:// or rediss://").contains("not shown");

        assertThat(output.getOut()).doesNotContain(REDIS_PASSWORD);
        assertThat(output.getErr()).doesNotContain(REDIS_PASSWORD);
        assertThat(bodies).noneMatch(body -> body.contains(REDIS_PASSWORD));
    }

    private static String stackOf(Throwable e) {
        java.io.StringWriter text = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }
}
