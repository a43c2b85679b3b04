package support;

import static org.awaitility.Awaitility.await;

import deploy.DockerfileCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The API in its own JVM with the JVM flags of the API image's ENTRYPOINT (Dockerfile) and the heap it gets on Cloud
 * Run: {@code MaxRAMPercentage} of the service's memory, Cloud Run's default 512 MiB (cloudbuild.yaml sets none for
 * the API). An OutOfMemoryError ends it as it ends the container ({@code ExitOnOutOfMemoryError}).
 */
public final class ApiProcess implements AutoCloseable {
    /** Cloud Run's default memory, the API's (cloudbuild.yaml gives the API no --memory). */
    public static final long CLOUD_RUN_MEMORY_MIB = 512;

    private final Process process;
    private final Path log;
    public final int port;
    public final int managementPort;

    private ApiProcess(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** The image's JVM flags, with the heap share turned into the {@code -Xmx} it gives in 512 MiB. */
    public static List<String> productionJvmFlags() {
        Path dockerfile = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("Dockerfile");
        List<String> argv;
        try {
            argv = DockerfileCommand.finalCommand(dockerfile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> flags = new ArrayList<>();
        for (String arg : argv.subList(1, argv.indexOf("-jar"))) {
            if (arg.startsWith("-XX:MaxRAMPercentage=")) {
                double percent = Double.parseDouble(arg.substring(arg.indexOf('=') + 1));
                flags.add("-Xmx" + Math.round(CLOUD_RUN_MEMORY_MIB * percent / 100) + "m");
            } else if (!arg.startsWith("-XX:AOTCache")) {
                // The AOT cache exists only in the image.
                flags.add(arg);
            }
        }
        return flags;
    }

    public static ApiProcess start(PanelHarness harness, String name, Map<String, String> env) {
        int port = TestRedis.freePort();
        int managementPort = TestRedis.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(productionJvmFlags());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "app.PanelOneApplication", "start"));
        Path log = harness.root.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(harness.root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("REDIS_URL", harness.redis.url());
        environment.put("STORAGE_EMULATOR_HOST", harness.gcs.baseUrl());
        environment.put("BUCKET_NAME", PanelHarness.BUCKET);
        environment.put("PROJECT_ID", "test-project");
        environment.put("PORT", Integer.toString(port));
        environment.put("MANAGEMENT_PORT", Integer.toString(managementPort));
        environment.put("LOG_FORMAT", "json");
        environment.remove("GOOGLE_APPLICATION_CREDENTIALS");
        environment.remove("GEMINI_API_KEY");
        // Every test request comes from one address: lift the job limits unless a test sets its own.
        environment.put("PANEL_CLIENT_JOBS_PER_HOUR", "1000000");
        environment.put("PANEL_DAILY_JOB_BUDGET", "100000000");
        environment.remove("PANEL_API_KEYS");
        environment.putAll(env);
        try {
            return new ApiProcess(builder.start(), log, port, managementPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until GET /health answers 200. */
    public ApiProcess awaitReady(Duration within) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("API exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                return health(http) == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    public int health(HttpClient http) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** SIGTERM, as Cloud Run sends on a deploy or scale-in; returns at once. */
    public void sigterm() {
        process.destroy();
    }

    /** Waits up to {@code within} for the JVM to exit; true if it did. */
    public boolean awaitExit(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
