package bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The peer: the FastAPI + Celery implementation of the same contract that the benchmark measures beside Panel One
 * (its folder holds a README). Started and stopped through its own {@code start.sh} / {@code stop.sh}, pointed at
 * this run's emulators and a Redis of its own; its processes are the uvicorn API and the Celery worker (prefork: a
 * master and its children), whose PIDs {@code start.sh} records.
 */
final class Peer implements Subject {
    private final Services services;
    private final Path dir;
    private final Path runDir;
    private final String python;
    private final int redisPort;
    private int port;
    private int workerHealthPort;
    private long apiPid = -1;
    private long workerPid = -1;

    Peer(Services services, Path dir, String python, int redisPort) {
        this.services = services;
        this.dir = dir;
        this.python = python;
        this.redisPort = redisPort;
        this.runDir = services.work.resolve("peer");
    }

    /** BENCH_PEER_DIR, else shared/peer beside the repository; empty when it has no start.sh. */
    static Optional<Path> locate(Path repo) {
        String configured = System.getenv("BENCH_PEER_DIR");
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured)
                : repo.toAbsolutePath().getParent().resolve("shared").resolve("peer");
        return Files.isRegularFile(dir.resolve("start.sh")) ? Optional.of(dir.normalize()) : Optional.empty();
    }

    @Override
    public String name() {
        return "peer";
    }

    @Override
    public String apiUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The environment start.sh gets: the same emulators, models and bucket as Panel One, limits raised for load. */
    Map<String, String> env(int apiPort) {
        Map<String, String> env = new LinkedHashMap<>(services.serviceEnv(apiPort));
        env.put("REDIS_URL", "redis://127.0.0.1:" + redisPort + "/0");
        env.put("API_PORT", Integer.toString(apiPort));
        env.put("API_WORKERS", "1");
        env.put("WORKER_CONCURRENCY", "2");
        env.put("RUN_DIR", runDir.toString());
        env.put("PYTHON", python);
        env.put("LOG_LEVEL", "WARNING");
        // The peer's folder may be read-only (CI copies it without write bits).
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        return env;
    }

    /** start.sh returns once the API answers /health; then waits for the worker's /health (after its model check). */
    void start() throws Exception {
        port = Services.freePort();
        workerHealthPort = Services.freePort();
        Files.createDirectories(runDir);
        Files.deleteIfExists(runDir.resolve("pids"));
        Map<String, String> env = env(port);
        env.put("WORKER_HEALTH_PORT", Integer.toString(workerHealthPort));
        Path log = Files.createDirectories(services.work.resolve("logs")).resolve("peer-start.log");
        ProcessBuilder builder = new ProcessBuilder("bash", dir.resolve("start.sh").toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        clean(builder.environment());
        builder.environment().putAll(env);
        Process start = builder.start();
        if (!start.waitFor(300, TimeUnit.SECONDS) || start.exitValue() != 0) {
            start.destroyForcibly();
            throw new IllegalStateException("the peer did not start; see " + log + " and " + runDir);
        }
        for (String line : Files.readAllLines(runDir.resolve("pids"))) {
            String[] parts = line.trim().split("\\s+");
            if (parts[0].equals("api")) {
                apiPid = Long.parseLong(parts[1]);
            } else if (parts[0].equals("worker")) {
                workerPid = Long.parseLong(parts[1]);
            }
        }
        services.awaitUrl("peer worker", "http://127.0.0.1:" + workerHealthPort + "/health", Duration.ofSeconds(300),
                () -> ProcessHandle.of(workerPid).map(ProcessHandle::isAlive).orElse(false));
    }

    /** stop.sh stops exactly what start.sh recorded. */
    void stop() {
        if (apiPid < 0 && workerPid < 0) {
            return;
        }
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", dir.resolve("stop.sh").toString())
                    .directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(services.work.resolve("logs/peer-stop.log").toFile()));
            builder.environment().put("RUN_DIR", runDir.toString());
            Process stop = builder.start();
            stop.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        apiPid = -1;
        workerPid = -1;
    }

    @Override
    public void stopWorker() {
        ProcessHandle.of(workerPid).ifPresent(worker -> {
            List<ProcessHandle> children = worker.descendants().toList();
            worker.destroy();
            try {
                worker.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                worker.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        });
    }

    @Override
    public double cpuMillis() {
        return Services.treeCpuMillis(apiPid) + Services.treeCpuMillis(workerPid);
    }

    @Override
    public double apiPeakRssMiB() {
        return Services.treeStatusKiB(apiPid, "VmHWM") / 1024.0;
    }

    /** The command start.sh runs for the API, for launch timing: the same interpreter, module and flags. */
    List<String> apiCommand(int apiPort) {
        return new ArrayList<>(List.of(python, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port",
                Integer.toString(apiPort), "--workers", "1", "--no-access-log", "--log-level", "warning"));
    }

    Path dir() {
        return dir;
    }

    static void clean(Map<String, String> env) {
        env.keySet().removeIf(key -> key.startsWith("PANEL_") || key.equals("GOOGLE_API_KEY")
                || key.equals("GOOGLE_APPLICATION_CREDENTIALS") || key.equals("REDIS_URL"));
    }
}
