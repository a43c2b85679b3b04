package support;

import static org.awaitility.Awaitility.await;

import app.PanelOneApplication;
import clients.StorageFactory;
import clients.StorageSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import emulator.GcsEmulator;
import emulator.GeminiEmulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Everything an end-to-end test needs, all real: a redis-server, the storage and Gemini emulators behind Google's
 * SDKs, and API / worker application contexts started from the same main class the jar runs.
 */
public final class PanelHarness implements AutoCloseable {
    public static final String BUCKET = "panel-test";
    /**
     * The bearer token the harness's requests carry unless a test sends its own Authorization header: one client,
     * whose history GET /jobs shows.
     */
    public static final String TOKEN = "panel-harness-client-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final TestRedis redis = TestRedis.get();
    public final Path root;
    public final GcsEmulator gcs;
    public final GeminiEmulator gemini;
    public final Storage storage;
    /**
     * HTTP/1.1: the JDK client otherwise offers an h2c upgrade on every cleartext request, and Tomcat answers an
     * upgrade that carries a body larger than its saved-body limit (4 KiB) with its own 413. No real client does that:
     * browsers and Cloud Run's front end use HTTP/1.1 or HTTP/2 with prior knowledge (edge/Http2CleartextIT).
     */
    public final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    public PanelHarness() throws IOException {
        redis.flush();
        root = Files.createTempDirectory("panel-harness");
        gcs = GcsEmulator.start(root.resolve("objects"), 0);
        gemini = GeminiEmulator.start(0);
        storage = StorageFactory.create(new StorageSettings("test-project", gcs.baseUrl(), null,
                Duration.ofSeconds(5), Duration.ofSeconds(30), 3, Duration.ofSeconds(30)));
        storage.create(BucketInfo.of(BUCKET));
    }

    /** Settings every context gets, as command-line arguments so they outrank application.yaml. */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("panel.redis-url", redis.url());
        s.put("panel.bucket", BUCKET);
        s.put("panel.project-id", "test-project");
        s.put("panel.storage-emulator-host", gcs.baseUrl());
        s.put("panel.credentials-file", "");
        s.put("panel.gemini.api-key", "test-key");
        s.put("panel.gemini.base-url", gemini.baseUrl());
        s.put("panel.gemini.initial-backoff", "50ms");
        s.put("panel.gemini.max-backoff", "500ms");
        s.put("panel.worker.temp-dir", root.resolve("work").toString());
        s.put("panel.log-format", "plain");
        s.put("server.port", "0");
        s.put("panel.management-port", "0");
        // Tests make many jobs from one address; ClientsAndLimitsIT sets the limits it checks.
        s.put("panel.access.client-jobs-per-hour", "1000000");
        s.put("panel.access.daily-job-budget", "100000000");
        return s;
    }

    public ConfigurableApplicationContext startApi() {
        return start(Map.of(), "api");
    }

    public ConfigurableApplicationContext startWorker() {
        return start(Map.of(), "worker");
    }

    public ConfigurableApplicationContext start(Map<String, String> overrides, String... profiles) {
        Map<String, String> all = settings();
        all.putAll(overrides);
        String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(PanelOneApplication.class)
                .profiles(profiles)
                .run(args);
        contexts.add(context);
        return context;
    }

    public void stop(ConfigurableApplicationContext context) {
        contexts.remove(context);
        context.close();
    }

    public static String baseUrl(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    /** The operational endpoints' base URL (MANAGEMENT_PORT), e.g. for /actuator/health/readiness. */
    public static String managementUrl(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.management.port");
    }

    public HttpResponse<String> management(ConfigurableApplicationContext app, String path)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(managementUrl(app) + path)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(ConfigurableApplicationContext api, Multipart body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl(api) + "/generate"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.body()));
        boolean ownToken = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            ownToken |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (!ownToken) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(ConfigurableApplicationContext api, String path)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl(api) + path)).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public FrameRecorder subscribe(ConfigurableApplicationContext api, String jobId) throws Exception {
        return FrameRecorder.connect(http, baseUrl(api).replace("http://", "ws://") + "/ws/" + jobId);
    }

    public JsonNode job(ConfigurableApplicationContext api, String jobId) throws Exception {
        return JSON.readTree(get(api, "/job/" + jobId).body());
    }

    /**
     * Polls GET /job until the job reaches {@code status}, or fails after the deadline; a failure first prints a dump
     * of this JVM's threads (the worker's included), so a job that hung says where.
     */
    public JsonNode awaitStatus(ConfigurableApplicationContext api, String jobId, String status, Duration within) {
        JsonNode[] last = new JsonNode[1];
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
                last[0] = job(api, jobId);
                return status.equals(last[0].path("status").asText());
            });
        } catch (RuntimeException e) {
            // The deadline passed, or GET /job itself failed: either way the JVM's state is what the next reader needs.
            ThreadDump.print("Job " + jobId + " did not reach " + status + " within " + within + " (" + e.getClass()
                    .getSimpleName() + "); last seen: " + (last[0] == null ? "nothing" : last[0].path("status").asText()));
            throw e;
        }
        return last[0];
    }

    public static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    public List<String> objects(String prefix) {
        return gcs.objectNames(BUCKET).stream().filter(name -> name.startsWith(prefix)).toList();
    }

    public Path workDir() {
        return root.resolve("work");
    }

    @Override
    public void close() {
        for (ConfigurableApplicationContext context : List.copyOf(contexts)) {
            context.close();
        }
        contexts.clear();
        gemini.close();
        gcs.close();
    }
}
