package access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jobs.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import support.PanelHarness;
import support.Photos;

/**
 * Clients, history and limits on the real routes (docs/API.md): a real redis-server, the storage and Gemini
 * emulators behind Google's SDKs, an open-mode API with a worker, and a key-mode API.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientsAndLimitsIT {
    private static final int PER_HOUR = 3;
    private static final int DAILY = 9;
    private static final String KEY_ONE = "key-one.0123456789abcdef";
    private static final String KEY_TWO = "key-two_fedcba9876543210";

    private static PanelHarness harness;
    private static ConfigurableApplicationContext open;
    private static ConfigurableApplicationContext keyed;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        open = harness.start(Map.of(
                "panel.access.client-jobs-per-hour", Integer.toString(PER_HOUR),
                "panel.access.daily-job-budget", Integer.toString(DAILY)), "api", "worker");
        keyed = harness.start(Map.of("panel.access.api-keys", KEY_ONE + ", " + KEY_TWO), "api");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    /** Every test starts with clean limits; jobs and histories of earlier tests stay (tokens are per test). */
    @BeforeEach
    void resetLimits() {
        var redis = harness.redis.redis();
        Set<String> keys = redis.keys("panel:limit:*");
        if (keys != null && !keys.isEmpty()) {
            redis.delete(keys);
        }
    }

    // --- History -------------------------------------------------------------------------------------------------

    @Test
    void anotherTokensHistoryIsInvisible() throws Exception {
        String alice = token("alice");
        String bob = token("bob");
        String alicesJob = accepted(post(open, alice));

        assertThat(history(open, alice)).containsExactly(alicesJob);
        assertThat(history(open, bob)).isEmpty();
        String bobsJob = accepted(post(open, bob));
        assertThat(history(open, bob)).containsExactly(bobsJob);
        assertThat(history(open, alice)).containsExactly(alicesJob);
        // The job itself stays readable by id: the id is the capability.
        assertThat(harness.get(open, "/job/" + alicesJob).statusCode()).isEqualTo(200);
    }

    @Test
    void withoutATokenThereIsNoHistoryButAJobMayStillBeMade() throws Exception {
        HttpResponse<String> list = get(open, "/jobs", null);
        assertThat(list.statusCode()).isEqualTo(401);
        assertThat(list.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(PanelHarness.json(list.body()).path("detail").asText()).isNotBlank();

        String anonymous = accepted(post(open, null));
        // Filed in nobody's history.
        for (String key : harness.redis.redis().keys("panel:jobs:*")) {
            assertThat(harness.redis.redis().opsForZSet().score(key, anonymous)).as(key).isNull();
        }
    }

    @Test
    void aMalformedTokenIsRefusedWith400AndStoresNothing() throws Exception {
        List<String> malformed = List.of(
                "Bearer short",
                "Bearer " + "x".repeat(129),
                "Bearer has/slash-0123456789abcdef",
                "Bearer two words-0123456789abcdef",
                "Basic dXNlcjpwYXNzd29yZA==",
                "Bearer");
        Snapshot before = Snapshot.take();
        for (String header : malformed) {
            HttpResponse<String> list = send(open, "/jobs", header, null);
            assertThat(list.statusCode()).as(header).isEqualTo(400);
            assertThat(PanelHarness.json(list.body()).path("detail").asText()).contains("Bearer");

            HttpResponse<String> generate = send(open, "/generate", header, null);
            assertThat(generate.statusCode()).as(header).isEqualTo(400);
        }
        assertThat(Snapshot.take()).isEqualTo(before);
    }

    // --- Key mode ------------------------------------------------------------------------------------------------

    @Test
    void keyModeNeedsOneOfTheKeysAndNeverLogsThem(CapturedOutput output) throws Exception {
        Snapshot before = Snapshot.take();
        for (String header : new String[] {null, "Bearer wrong-key-0123456789abcdef", "Bearer " + KEY_ONE + "x",
                "Bearer short", "Basic " + KEY_ONE}) {
            HttpResponse<String> generate = send(keyed, "/generate", header, null);
            assertThat(generate.statusCode()).as(String.valueOf(header)).isEqualTo(401);
            assertThat(generate.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(PanelHarness.json(generate.body()).path("detail").asText()).isNotBlank();

            HttpResponse<String> list = send(keyed, "/jobs", header, null);
            assertThat(list.statusCode()).as(String.valueOf(header)).isEqualTo(401);
            assertThat(list.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        }
        assertThat(Snapshot.take()).as("nothing stored for a refused request").isEqualTo(before);

        String job = accepted(post(keyed, KEY_ONE));
        assertThat(history(keyed, KEY_ONE)).containsExactly(job);
        assertThat(history(keyed, KEY_TWO)).isEmpty();
        // Any case of the scheme name; the key is matched exactly.
        assertThat(send(keyed, "/jobs", "bearer " + KEY_TWO, null).statusCode()).isEqualTo(200);
        assertThat(send(keyed, "/jobs", "Bearer " + KEY_TWO.toUpperCase(), null).statusCode()).isEqualTo(401);

        assertThat(output.getAll()).doesNotContain(KEY_ONE).doesNotContain(KEY_TWO)
                .doesNotContain("wrong-key-0123456789abcdef");
        // Nor is a key stored: jobs are filed under its hash.
        for (String key : harness.redis.keys()) {
            assertThat(key).doesNotContain(KEY_ONE);
        }
        assertThat(harness.redis.redis().opsForHash().values(RedisKeys.job(job)).toString()).doesNotContain(KEY_ONE);
    }

    // --- Limits --------------------------------------------------------------------------------------------------

    @Test
    void aClientOverItsHourlyLimitGets429AndNothingIsStoredQueuedOrSentToTheModel() throws Exception {
        String carol = token("carol");
        int callsBefore = harness.gemini.calls().size();
        String first = accepted(post(open, carol));
        harness.awaitStatus(open, first, "COMPLETED", Duration.ofSeconds(60));
        int callsPerJob = harness.gemini.calls().size() - callsBefore;
        List<String> jobs = new ArrayList<>(List.of(first));
        for (int i = 1; i < PER_HOUR; i++) {
            jobs.add(accepted(post(open, carol)));
        }
        for (String job : jobs) {
            harness.awaitStatus(open, job, "COMPLETED", Duration.ofSeconds(60));
        }
        Snapshot before = Snapshot.take();
        int calls = harness.gemini.calls().size();

        HttpResponse<String> refused = post(open, carol);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 3600L);
        assertThat(PanelHarness.json(refused.body()).path("detail").asText()).contains("hour");
        assertThat(Snapshot.take()).as("no object, no job, no queued message").isEqualTo(before);
        assertThat(history(open, carol)).hasSize(PER_HOUR);
        assertThat(refusals("client")).isPositive();

        // Someone else is not held back; once their job is done, exactly one job's worth of model calls happened.
        String dave = accepted(post(open, token("dave")));
        harness.awaitStatus(open, dave, "COMPLETED", Duration.ofSeconds(60));
        assertThat(harness.gemini.calls().size()).as("model calls").isEqualTo(calls + callsPerJob);
    }

    @Test
    void anIdempotentRepeatIsNotCountedAndIsAnsweredEvenOverTheLimit() throws Exception {
        String erin = token("erin");
        String first = accepted(post(open, erin, "Idempotency-Key", "erin-1"));
        for (int i = 0; i < PER_HOUR + 1; i++) {
            assertThat(accepted(post(open, erin, "Idempotency-Key", "erin-1"))).isEqualTo(first);
        }
        for (int i = 1; i < PER_HOUR; i++) {
            accepted(post(open, erin));
        }
        assertThat(post(open, erin).statusCode()).isEqualTo(429);
        assertThat(post(open, erin, "Idempotency-Key", "erin-new").statusCode()).isEqualTo(429);
        assertThat(accepted(post(open, erin, "Idempotency-Key", "erin-1"))).isEqualTo(first);
        // A key is the client's own: another client's erin-1 is a new job.
        assertThat(accepted(post(open, token("frank"), "Idempotency-Key", "erin-1"))).isNotEqualTo(first);
    }

    @Test
    void clientsWithoutATokenDoNotShareIdempotencyKeys() throws Exception {
        // Without a token the client is its address: the same key from the same address is a repeat, from
        // another address a new job, so nobody learns another's job id by reusing a guessable key.
        String first = accepted(post(open, null, "Idempotency-Key", "1", "X-Forwarded-For", "198.51.100.20"));
        assertThat(accepted(post(open, null, "Idempotency-Key", "1", "X-Forwarded-For", "198.51.100.20")))
                .isEqualTo(first);
        assertThat(accepted(post(open, null, "Idempotency-Key", "1", "X-Forwarded-For", "198.51.100.21")))
                .isNotEqualTo(first);
    }

    @Test
    void withoutATokenTheClientIsTheLastForwardedForAddress() throws Exception {
        for (int i = 0; i < PER_HOUR; i++) {
            // Whatever the client puts first changes nothing: Google's front end appends the real address last.
            accepted(post(open, null, "X-Forwarded-For", "198.51.100." + i + ", 203.0.113.7"));
        }
        assertThat(post(open, null, "X-Forwarded-For", "192.0.2.99, 203.0.113.7").statusCode()).isEqualTo(429);
        assertThat(post(open, null, "X-Forwarded-For", "203.0.113.7").statusCode()).isEqualTo(429);
        accepted(post(open, null, "X-Forwarded-For", "203.0.113.7, 203.0.113.8"));
        // One IPv6 subscriber (a /64) is one client.
        for (int i = 1; i <= PER_HOUR; i++) {
            accepted(post(open, null, "X-Forwarded-For", "2001:db8:1:2::" + i));
        }
        assertThat(post(open, null, "X-Forwarded-For", "2001:db8:1:2:ffff::1").statusCode()).isEqualTo(429);
    }

    @Test
    void theDeploymentStopsAtItsDailyBudgetAndSaysSoOnce(CapturedOutput output) throws Exception {
        List<String> clients = List.of(token("g1"), token("g2"), token("g3"));
        int made = 0;
        for (String client : clients) {
            for (int i = 0; i < PER_HOUR && made < DAILY; i++, made++) {
                accepted(post(open, client));
            }
        }
        Snapshot before = Snapshot.take();
        HttpResponse<String> refused = post(open, token("g4"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 86_401L);
        assertThat(PanelHarness.json(refused.body()).path("detail").asText()).contains("UTC");
        assertThat(Snapshot.take()).isEqualTo(before);
        assertThat(post(open, token("g5")).statusCode()).isEqualTo(429);
        assertThat(output.getAll().split("Daily job budget reached", -1)).hasSize(2);
        assertThat(refusals("daily")).isGreaterThanOrEqualTo(2);
        assertThat(open.getBean(MeterRegistry.class).get("panel.limits.daily.used").gauge().value()).isEqualTo(DAILY);
    }

    // --- Helpers -------------------------------------------------------------------------------------------------

    /**
     * What a refused request must not change: objects uploaded, jobs recorded, messages queued. Taken once the
     * worker has finished every job, so its own uploads (the panels) do not count.
     */
    record Snapshot(long uploads, long jobs, String lastQueued) {
        static Snapshot take() {
            var redis = harness.redis.redis();
            await().atMost(Duration.ofSeconds(60)).until(() -> redis.opsForZSet().range(RedisKeys.HISTORY, 0, -1)
                    .stream().allMatch(id -> Set.of("COMPLETED", "FAILED")
                            .contains(String.valueOf(redis.opsForHash().get(RedisKeys.job(id), "status")))));
            Long jobs = redis.opsForZSet().zCard(RedisKeys.HISTORY);
            String last = null;
            try {
                var info = redis.opsForStream().info(RedisKeys.QUEUE);
                last = info.lastGeneratedId();
            } catch (RuntimeException e) {
                // No stream yet.
            }
            return new Snapshot(harness.gcs.requestCount("POST", "/upload/"), jobs == null ? 0 : jobs, last);
        }
    }

    private static double refusals(String limit) {
        return open.getBean(MeterRegistry.class).get("panel.limits.refused").tag("limit", limit).counter().count();
    }

    private static String token(String name) {
        return (name + "-" + java.util.UUID.randomUUID()).replace("-", "_");
    }

    /** POST /generate of two photos, with {@code token} (null: none) and more headers. */
    private static HttpResponse<String> post(ConfigurableApplicationContext api, String token, String... headers)
            throws Exception {
        var body = Photos.twoPhotos();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(PanelHarness.baseUrl(api) + "/generate"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.body()));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return harness.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String accepted(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return PanelHarness.json(response.body()).path("job_id").asText();
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext api, String path, String token)
            throws Exception {
        return send(api, path, token == null ? null : "Bearer " + token, null);
    }

    /** GET, or POST of two photos for /generate, with a raw Authorization header (null: none). */
    private static HttpResponse<String> send(ConfigurableApplicationContext api, String path, String authorization,
            String ignored) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(PanelHarness.baseUrl(api) + path))
                .timeout(Duration.ofSeconds(30));
        if (path.equals("/generate")) {
            var body = Photos.twoPhotos();
            request.header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body.body()));
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return harness.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> history(ConfigurableApplicationContext api, String token) throws Exception {
        HttpResponse<String> response = get(api, "/jobs?limit=100", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode job : PanelHarness.json(response.body())) {
            ids.add(job.path("job_id").asText());
        }
        return ids;
    }
}
