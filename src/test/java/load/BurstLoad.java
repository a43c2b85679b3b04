package load;

import clients.StorageFactory;
import clients.StorageSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import emulator.GcsEmulator;
import emulator.GeminiEmulator;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import redis.embedded.RedisServer;

/**
 * Burst load: N jobs submitted as fast as C clients can against a running service (an API and a worker process
 * started from target/panel-one.jar, a real redis-server, the storage and Gemini emulators with no latency).
 * Checks that every job reaches an end state, none is lost, none completes twice (COMPLETED events per job on
 * panel:events, and image-model calls), no input is left in storage, and measures GET /health while loading.
 * Prints a Markdown report on stdout. Run by bench/burst.sh; not part of the test suite.
 *
 * <p>Arguments: {@code [jobs=500] [clients=32] [jar=target/panel-one.jar]}.
 */
public final class BurstLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "panel-burst";
    private static int exitCode;

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Path jar = Path.of(args.length > 2 ? args[2] : "target/panel-one.jar").toAbsolutePath();
        Path root = Files.createTempDirectory("panel-burst");
        int redisPort = freePort();
        RedisServer redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1")
                .setting("dir " + root).build();
        redis.start();
        GcsEmulator gcs = GcsEmulator.start(root.resolve("objects"), 0);
        GeminiEmulator gemini = GeminiEmulator.start(0);
        gemini.setRenderWidth(320);
        Storage storage = StorageFactory.create(new StorageSettings("burst", gcs.baseUrl(), null,
                Duration.ofSeconds(5), Duration.ofSeconds(30), 3, Duration.ofSeconds(30)));
        storage.create(BucketInfo.of(BUCKET));
        String redisUrl = "redis://127.0.0.1:" + redisPort;
        int apiPort = freePort();
        Map<String, String> env = Map.of("REDIS_URL", redisUrl, "STORAGE_EMULATOR_HOST", gcs.baseUrl(),
                "GEMINI_API_KEY", "burst-key", "GEMINI_BASE_URL", gemini.baseUrl(), "BUCKET_NAME", BUCKET,
                "PROJECT_ID", "burst", "LOG_FORMAT", "json",
                // One address sends every job: lift the per-client and daily limits for the burst.
                "PANEL_CLIENT_JOBS_PER_HOUR", "1000000", "PANEL_DAILY_JOB_BUDGET", "100000000");
        Process api = launch(jar, "start", env, apiPort, root.resolve("api.log"));
        Process worker = launch(jar, "worker", env, freePort(), root.resolve("worker.log"));

        RedisClient lettuce = RedisClient.create(redisUrl);
        StatefulRedisPubSubConnection<String, String> events = lettuce.connectPubSub();
        Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();
        Set<String> ended = ConcurrentHashMap.newKeySet();
        events.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                try {
                    JsonNode job = JSON.readTree(message).path("job");
                    String status = job.path("status").asText();
                    if (status.equals("COMPLETED")) {
                        completed.computeIfAbsent(job.path("job_id").asText(), id -> new AtomicInteger()).incrementAndGet();
                    }
                    if (status.equals("COMPLETED") || status.equals("FAILED")) {
                        ended.add(job.path("job_id").asText());
                    }
                } catch (Exception e) {
                    System.err.println("unreadable event: " + message);
                }
            }
        });
        events.sync().subscribe("panel:events");
        RedisCommands<String, String> commands = lettuce.connect().sync();

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + apiPort;
        try {
            awaitUp(http, base, api, Duration.ofSeconds(120));
            awaitLog(root.resolve("worker.log"), " consuming ", worker, Duration.ofSeconds(120));

            // GET /health, one probe after another, for as long as the burst and its jobs run.
            List<Long> healthMicros = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean probing = new AtomicBoolean(true);
            Thread prober = new Thread(() -> {
                while (probing.get()) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) {
                            healthMicros.add((System.nanoTime() - start) / 1000);
                        }
                    } catch (Exception e) {
                        healthMicros.add(10_000_000L);
                    }
                }
            });
            prober.start();

            byte[] photo = jpeg();
            String boundary = "burst-boundary-7d1";
            byte[] body = multipart(boundary, photo);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            Map<Integer, AtomicInteger> refused = new ConcurrentHashMap<>();
            long burstStart = System.nanoTime();
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                sends.add(pool.submit(() -> {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/generate"))
                                .timeout(Duration.ofSeconds(60))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 202) {
                            accepted.add(JSON.readTree(r.body()).path("job_id").asText());
                        } else {
                            refused.computeIfAbsent(r.statusCode(), c -> new AtomicInteger()).incrementAndGet();
                        }
                    } catch (Exception e) {
                        refused.computeIfAbsent(-1, c -> new AtomicInteger()).incrementAndGet();
                    }
                }));
            }
            for (Future<?> send : sends) {
                send.get();
            }
            double submitSeconds = (System.nanoTime() - burstStart) / 1e9;
            pool.shutdown();

            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (!ended.containsAll(accepted) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            double allEndedSeconds = (System.nanoTime() - burstStart) / 1e9;
            // Acknowledged (and inputs deleted) after the end state: wait for the queue to drain, then look.
            while (commands.xlen("panel:queue") > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            probing.set(false);
            prober.join();

            int completedJobs = 0;
            int failedJobs = 0;
            int lost = 0;
            for (String id : accepted) {
                String status = commands.hget("panel:job:" + id, "status");
                if ("COMPLETED".equals(status)) {
                    completedJobs++;
                } else if ("FAILED".equals(status)) {
                    failedJobs++;
                } else {
                    lost++;
                }
            }
            long twice = completed.values().stream().filter(count -> count.get() > 1).count();
            long strayInputs = gcs.objectNames(BUCKET).stream().filter(name -> name.startsWith("inputs/")).count();
            long panels = gcs.objectNames(BUCKET).stream().filter(name -> name.endsWith("/panel.png")).count();
            int imageCalls = gemini.callCount(GeminiEmulator.IMAGE_MODEL);
            List<Long> sorted = new ArrayList<>(healthMicros);
            Collections.sort(sorted);

            StringBuilder report = new StringBuilder();
            report.append("| figure | value |\n| --- | --- |\n");
            row(report, "jobs submitted / clients", jobs + " / " + clients);
            row(report, "accepted (202)", accepted.size());
            row(report, "refused (status: count)", refused.isEmpty() ? "none" : refused.toString());
            row(report, "submit time (all POSTs answered)", String.format("%.1f s (%.0f req/s)", submitSeconds,
                    jobs / submitSeconds));
            row(report, "time until every job ended", String.format("%.1f s", allEndedSeconds));
            row(report, "ended COMPLETED / FAILED", completedJobs + " / " + failedJobs);
            row(report, "lost (no end state after 10 min)", lost);
            row(report, "COMPLETED published more than once", twice);
            row(report, "image-model calls / panels stored", imageCalls + " / " + panels);
            row(report, "stray inputs/ objects afterwards", strayInputs);
            row(report, "GET /health probes", sorted.size());
            row(report, "GET /health p50 / p99 / max", String.format("%.1f / %.1f / %.1f ms",
                    percentile(sorted, 0.50) / 1000.0, percentile(sorted, 0.99) / 1000.0,
                    (sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)) / 1000.0));
            System.out.print(report);
            boolean ok = lost == 0 && twice == 0 && strayInputs == 0 && accepted.size() == jobs
                    && completedJobs == accepted.size() && imageCalls == completedJobs;
            System.out.println();
            System.out.println(ok ? "RESULT: PASS" : "RESULT: FAIL");
            if (!ok) {
                exitCode = 1;
            }
        } finally {
            api.destroy();
            worker.destroy();
            events.close();
            lettuce.shutdown();
            gemini.close();
            gcs.close();
            redis.stop();
        }
        System.exit(exitCode);
    }

    private static void row(StringBuilder report, String name, Object value) {
        report.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static Process launch(Path jar, String command, Map<String, String> env, int port, Path log)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), command)
                .redirectErrorStream(true).redirectOutput(log.toFile()).directory(log.getParent().toFile());
        builder.environment().putAll(env);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("MANAGEMENT_PORT", "0");
        return builder.start();
    }

    private static void awaitUp(HttpClient http, String base, Process process, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("API exited with " + process.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("API not up within " + within);
    }

    private static void awaitLog(Path log, String text, Process process, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("worker exited with " + process.exitValue());
            }
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("worker not ready within " + within);
    }

    private static byte[] jpeg() throws Exception {
        BufferedImage image = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 160, 120);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private static byte[] multipart(String boundary, byte[] photo) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"photo.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(photo);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
