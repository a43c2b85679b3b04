package bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import redis.embedded.RedisServer;

/**
 * The processes a benchmark run starts: a real redis-server (the binary embedded-redis ships), the Gemini and storage
 * emulators and the API and worker, each a separate JVM launched from {@code target/panel-one.jar} as in production.
 * Everything started here is stopped by {@link #close()}, which also runs on JVM shutdown.
 */
final class Services implements AutoCloseable {
    static final String BUCKET = "panel-bench";
    private static final long CLOCK_TICKS = Long.parseLong(System.getenv().getOrDefault("BENCH_CLK_TCK", "100"));

    final Path work;
    /** The jar the emulators run from: always this build's, so both sides of an A/B meet the same emulators. */
    final Path jar;
    /** The jar the API and worker run from: this build's, or another build's ({@code BENCH_JAR}) for an A/B. */
    final Path serviceJar;
    /** The jar the images' launch extracts (P1c, P4): what the images carry, or another build's for an A/B. */
    final Path imageJar;
    final String java;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final List<Proc> running = new ArrayList<>();
    private final AtomicInteger launches = new AtomicInteger();
    private final List<RedisServer> redisServers = new ArrayList<>();
    int redisPort;
    Proc gemini;
    Proc gcs;

    Services(Path work, Path jar, Path serviceJar, Path imageJar, String java) {
        this.work = work;
        this.jar = jar;
        this.serviceJar = serviceJar;
        this.imageJar = imageJar;
        this.java = java;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "bench-cleanup"));
    }

    /** One launched process, with what /proc says about it. */
    static final class Proc {
        final String name;
        final Process process;
        final int port;
        int managementPort;
        final Path log;
        final long launchedAt;

        Proc(String name, Process process, int port, Path log, long launchedAt) {
            this.name = name;
            this.process = process;
            this.port = port;
            this.log = log;
            this.launchedAt = launchedAt;
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        /** Where the actuator answers: MANAGEMENT_PORT, never PORT. */
        String managementUrl() {
            return "http://127.0.0.1:" + managementPort;
        }

        long pid() {
            return process.pid();
        }

        /** user + system CPU time so far, from /proc/PID/stat, in milliseconds (children included). */
        double cpuMillis() {
            return treeCpuMillis(pid());
        }

        /** A /proc/PID/status value in KiB, e.g. VmHWM (peak resident set) or VmRSS. */
        long statusKiB(String key) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                    if (line.startsWith(key + ":")) {
                        return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
                    }
                }
                throw new IllegalStateException(key + " not in /proc status of " + name);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read /proc for " + name, e);
            }
        }
    }

    void startRedis() throws IOException {
        redisPort = startAnotherRedis();
    }

    /** One more redis-server of the same kind (the peer gets its own); stopped by {@link #close()}. */
    int startAnotherRedis() throws IOException {
        int port = freePort();
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").build();
        server.start();
        redisServers.add(server);
        return port;
    }

    /**
     * user + system CPU of a process and every live descendant, plus what their reaped children used
     * (cutime/cstime), from /proc, in milliseconds; 0 for a process that is gone.
     */
    static double treeCpuMillis(long pid) {
        Optional<ProcessHandle> root = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (root.isEmpty()) {
            return 0;
        }
        long ticks = 0;
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        root.get().descendants().forEach(child -> pids.add(child.pid()));
        for (long each : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(each), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // fields[0] is the state (field 3); utime, stime, cutime, cstime are fields 14 to 17
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                        + Long.parseLong(fields[14]);
            } catch (IOException | RuntimeException e) {
                // exited between the listing and the read
            }
        }
        return ticks * 1000.0 / CLOCK_TICKS;
    }

    /** A /proc/PID/status value in KiB summed over a process and its live descendants; 0 when it is gone. */
    static long treeStatusKiB(long pid, String key) {
        Optional<ProcessHandle> root = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (root.isEmpty()) {
            return 0;
        }
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        root.get().descendants().forEach(child -> pids.add(child.pid()));
        long sum = 0;
        for (long each : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(each), "status"))) {
                    if (line.startsWith(key + ":")) {
                        sum += Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // exited between the listing and the read
            }
        }
        return sum;
    }

    /**
     * Size of every panel the Gemini emulator answers with: Gemini 3 Pro Image's 2K PNGs are about 6 MB
     * (BENCH_PANEL_BYTES; 0 = the emulator's own small drawing, as the tests use).
     */
    static final long PANEL_BYTES = Long.parseLong(System.getenv().getOrDefault("BENCH_PANEL_BYTES", "6000000"));

    /**
     * Whether the Gemini emulator gzips its answers for clients that accept gzip (BENCH_GEMINI_GZIP=1; off by
     * default, so figures compare with earlier runs): what a gzipping front end costs both services' transports.
     */
    static final boolean GEMINI_GZIP = "1".equals(System.getenv("BENCH_GEMINI_GZIP"));

    /** The panel size as the methods state it: "6 MB PNG", or the emulator's own drawing. */
    static String panelSize() {
        String size = PANEL_BYTES == 0 ? "the emulator's small drawing" : PANEL_BYTES / 1_000_000.0 + " MB PNG";
        return GEMINI_GZIP ? size + ", Gemini's answers gzipped" : size;
    }

    void startEmulators(long geminiLatencyMs) throws Exception {
        int geminiPort = freePort();
        int gcsPort = freePort();
        Path objects = Files.createDirectories(work.resolve("objects"));
        gcs = launch("gcs-emulator", emulator("emulator.GcsEmulator", "--port", Integer.toString(gcsPort),
                "--dir", objects.toString()), Map.of(), gcsPort);
        // --storage-url: files:register reads gs:// objects from the storage emulator, as Gemini reads Cloud Storage.
        // --panel-bytes: a panel of a real 2K panel's size (about 6 MB), for Panel One and the peer alike.
        gemini = launch("gemini-emulator", emulator("emulator.GeminiEmulator", "--port", Integer.toString(geminiPort),
                "--latency-ms", Long.toString(geminiLatencyMs), "--storage-url", "http://127.0.0.1:" + gcsPort,
                "--panel-bytes", Long.toString(PANEL_BYTES), "--gzip", Boolean.toString(GEMINI_GZIP)), Map.of(),
                geminiPort);
        awaitHttp(gemini, "/_emulator/calls", Duration.ofSeconds(60));
        awaitHttp(gcs, "/_emulator/requests", Duration.ofSeconds(60));
        HttpResponse<String> bucket = http.send(HttpRequest.newBuilder(
                        URI.create(gcs.url() + "/storage/v1/b?project=bench"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + BUCKET + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (bucket.statusCode() / 100 != 2 && bucket.statusCode() != 409) {
            throw new IllegalStateException("cannot create the bucket: " + bucket.statusCode() + " " + bucket.body());
        }
    }

    /** Drops the requests the Gemini emulator recorded (it keeps them all, images included). */
    void forgetGeminiCalls() throws IOException, InterruptedException {
        http.send(HttpRequest.newBuilder(URI.create(gemini.url() + "/_emulator/calls")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private List<String> emulator(String mainClass, String... args) {
        // The Gemini emulator keeps every request it was sent (5+ MB of base64 each): the bench clears them between
        // runs, and the heap leaves room for B4's 200 calls in flight.
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx4g", "-Djava.awt.headless=true",
                "-cp", jar.toString(), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** The environment the API and worker get: every variable the README lists, pointing at this run's services. */
    Map<String, String> serviceEnv(int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
        env.put("STORAGE_EMULATOR_HOST", gcs.url());
        env.put("GEMINI_API_KEY", "bench");
        env.put("GEMINI_BASE_URL", gemini.url());
        env.put("BUCKET_NAME", BUCKET);
        env.put("PROJECT_ID", "bench");
        env.put("PORT", Integer.toString(port));
        env.put("MANAGEMENT_PORT", Integer.toString(freePort()));
        // The emulator's models, for services that take them from the environment (the peer does).
        env.put("GEMINI_STORY_MODEL", emulator.GeminiEmulator.STORY_MODEL);
        env.put("GEMINI_IMAGE_MODEL", emulator.GeminiEmulator.IMAGE_MODEL);
        // Load runs: the per-client and daily limits raised, or the services answer 429 as they should.
        env.put("PANEL_CLIENT_JOBS_PER_HOUR", "1000000");
        env.put("PANEL_DAILY_JOB_BUDGET", "100000000");
        // How Gemini gets the photos, as the deployed worker does (README, "Photos: registered or uploaded");
        // PANEL_GEMINI_PHOTOS=upload from the caller measures the other way.
        env.put("PANEL_GEMINI_PHOTOS", System.getenv().getOrDefault("PANEL_GEMINI_PHOTOS", "register"));
        return env;
    }

    /** {@code java OPTS -jar target/panel-one.jar COMMAND} (or another launch, e.g. an extracted jar). */
    Proc startService(String name, String javaBin, List<String> jvmOptions, Path jarFile, String command,
            Map<String, String> extraEnv) throws IOException {
        int port = freePort();
        List<String> line = new ArrayList<>();
        line.add(javaBin);
        line.addAll(jvmOptions);
        line.addAll(List.of("-jar", jarFile.toString(), command));
        Map<String, String> env = serviceEnv(port);
        env.putAll(extraEnv);
        return launch(name, line, env, port);
    }

    Proc launch(String name, List<String> command, Map<String, String> env, int port) throws IOException {
        return launch(name, command, env, port, Files.createDirectories(work.resolve("cwd")));
    }

    Proc launch(String name, List<String> command, Map<String, String> env, int port, Path directory)
            throws IOException {
        Path logs = Files.createDirectories(work.resolve("logs"));
        Path log = logs.resolve(launches.incrementAndGet() + "-" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // PANEL_MAX_CONCURRENT_JOBS passes through, to try other limits; nothing else from the caller's settings.
        builder.environment().keySet().removeIf(key -> key.startsWith("PANEL_") && !key.equals("PANEL_MAX_CONCURRENT_JOBS") || key.equals("GOOGLE_API_KEY")
                || key.equals("GOOGLE_APPLICATION_CREDENTIALS") || key.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(env);
        long launchedAt = System.nanoTime();
        Proc proc = new Proc(name, builder.start(), port, log, launchedAt);
        proc.managementPort = Integer.parseInt(env.getOrDefault("MANAGEMENT_PORT", "8081"));
        synchronized (running) {
            running.add(proc);
        }
        return proc;
    }

    /** Polls GET path every 10 ms until it answers 200; returns the nanoTime of that answer. */
    long awaitHttp(Proc proc, String path, Duration timeout) throws InterruptedException {
        try {
            return awaitUrl(proc.name, proc.url() + path, timeout, proc.process::isAlive);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; see " + proc.log, e);
        }
    }

    /** Polls GET url every 10 ms until it answers 200 (failing once {@code alive} says no); the nanoTime of it. */
    long awaitUrl(String name, String url, Duration timeout, java.util.function.BooleanSupplier alive)
            throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException(name + " exited");
            }
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return System.nanoTime();
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(name + " did not answer " + url + " within " + timeout);
    }

    /** SIGTERM (or SIGKILL when {@code force}), then waits for the process and its children to go. */
    void stop(Proc proc, boolean force) {
        List<ProcessHandle> children = proc.process.descendants().toList();
        if (force) {
            proc.process.destroyForcibly();
        } else {
            proc.process.destroy();
        }
        try {
            if (!proc.process.waitFor(30, TimeUnit.SECONDS)) {
                proc.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        synchronized (running) {
            running.remove(proc);
        }
    }

    String jcmd(Proc proc, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        line.add(Path.of(java).resolveSibling("jcmd").toString());
        line.add(Long.toString(proc.pid()));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public synchronized void close() {
        List<Proc> all;
        synchronized (running) {
            all = new ArrayList<>(running);
        }
        for (Proc proc : all) {
            stop(proc, false);
        }
        for (RedisServer redis : redisServers) {
            try {
                redis.stop();
            } catch (IOException | RuntimeException e) {
                System.err.println("bench: could not stop redis-server: " + e);
            }
        }
        redisServers.clear();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
