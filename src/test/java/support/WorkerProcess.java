package support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A worker in its own JVM, started the way production starts it ({@code app.PanelOneApplication worker}) from the
 * test JVM's class path, configured through the environment variables the README lists. Its output goes to a file the
 * test can read; {@link #kill()} is SIGKILL on Linux, so nothing in the worker gets to tidy up.
 */
public final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts a worker; {@code env} and {@code args} are added to what the harness sets. */
    public static WorkerProcess start(PanelHarness harness, String name, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Start-up speed over peak speed: these workers live for seconds.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m",
                "-cp", System.getProperty("java.class.path"),
                "app.PanelOneApplication", "worker",
                "--panel.worker.temp-dir=" + harness.workDir()));
        command.addAll(List.of(args));
        Path log = harness.root.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(harness.root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("REDIS_URL", harness.redis.url());
        environment.put("STORAGE_EMULATOR_HOST", harness.gcs.baseUrl());
        environment.put("GEMINI_API_KEY", "test-key");
        environment.put("GEMINI_BASE_URL", harness.gemini.baseUrl());
        environment.put("BUCKET_NAME", PanelHarness.BUCKET);
        environment.put("PROJECT_ID", "test-project");
        environment.put("PORT", "0");
        environment.put("MANAGEMENT_PORT", "0");
        environment.put("LOG_FORMAT", "json");
        environment.remove("GOOGLE_APPLICATION_CREDENTIALS");
        environment.putAll(env);
        try {
            return new WorkerProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the worker reads the queue (it logs "consuming" once the application is ready). */
    public WorkerProcess awaitReady(Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Worker exited with " + process.exitValue() + ":\n" + output());
            }
            return output().contains(" consuming ");
        });
        return this;
    }

    public long pid() {
        return process.pid();
    }

    /** The Redis consumer name this worker reads with starts with its pid. */
    public boolean isConsumer(String consumerName) {
        return consumerName.startsWith(pid() + "@");
    }

    /** SIGKILL: no shutdown hook, no acknowledgement, no clean-up. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, as Cloud Run sends on a deploy or scale-in; waits up to {@code within} for the JVM to exit. */
    public boolean terminate(Duration within) {
        process.destroy();
        try {
            return process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
        if (process.isAlive()) {
            kill();
        }
    }
}
