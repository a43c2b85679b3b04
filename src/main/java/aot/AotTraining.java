package aot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import emulator.GcsEmulator;
import emulator.GeminiEmulator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import redis.embedded.RedisServer;

/**
 * Trains one role's AOT cache (JDK 25: loaded and linked classes and method profiles, JEP 483/514/515) on real jobs,
 * for the Dockerfiles and the benchmark alike:
 *
 * <pre>
 * java -Djava.awt.headless=true -cp target/panel-one.jar aot.AotTraining [--jobs N] \
 *      -- java -XX:AOTCacheOutput=app.aot FLAGS -jar SERVICE_JAR start|worker
 * </pre>
 *
 * <p>(The Dockerfiles mount the one-file {@code panel-one-standalone.jar} instead and start this class through Spring
 * Boot's {@code PropertiesLauncher} with {@code -Dloader.main=aot.AotTraining}.)
 *
 * <p>Everything after {@code --} is the command being trained, with the same flags as the image's ENTRYPOINT (a cache
 * is only accepted by a JVM started with compatible ones). This process starts redis-server (embedded-redis's
 * binary), the storage and Gemini emulators, that command and its companion role (the same command without the cache
 * output, {@code worker} for {@code start} and the reverse), then drives jobs of four small photos through the public
 * API: {@code POST /generate}, each job watched on its WebSocket to COMPLETED, then read with {@code GET /job}. So the
 * API is trained while accepting and watching jobs and the worker while completing them, not only on start-up. Then
 * the trained process gets SIGTERM, shuts down as on Cloud Run, and its JVM writes the cache on the way out.
 *
 * <p>The settings the two services get (Redis URL, emulator addresses, a stand-in API key, the bucket) exist only in
 * their environment for this run; nothing here reads or needs a real credential. Exits 0 only when every job
 * completed and the cache file was written.
 */
public final class AotTraining {
    static final int DEFAULT_JOBS = 24;
    static final int IN_FLIGHT = 4;
    static final String BUCKET = "panel-one-training";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_BUDGET = Duration.ofSeconds(600);
    private static final Duration JOB_BUDGET = Duration.ofSeconds(300);
    private static final Duration EXIT_BUDGET = Duration.ofSeconds(900);

    private final List<String> trainedCommand;
    private final int jobs;
    private final Path work;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final List<Process> started = new ArrayList<>();

    AotTraining(List<String> trainedCommand, int jobs, Path work) {
        this.trainedCommand = List.copyOf(trainedCommand);
        this.jobs = jobs;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int separator = List.of(args).indexOf("--");
        if (separator < 0 || separator == args.length - 1) {
            System.err.println("usage: aot.AotTraining [--jobs N] -- java ... -XX:AOTCacheOutput=FILE ... -jar JAR"
                    + " start|worker");
            System.exit(2);
        }
        int jobs = DEFAULT_JOBS;
        for (int i = 0; i < separator; i++) {
            if (args[i].equals("--jobs") && i + 1 < separator) {
                jobs = Integer.parseInt(args[++i]);
            }
        }
        List<String> command = List.of(args).subList(separator + 1, args.length);
        Path work = Files.createTempDirectory("panel-one-aot-training");
        AotTraining training = new AotTraining(command, jobs, work);
        int status;
        try {
            training.run();
            status = 0;
        } catch (Exception | AssertionError e) {
            System.err.println("AOT training failed: " + e.getMessage());
            status = 1;
        } finally {
            training.stopAll();
            deleteTree(work);
        }
        System.exit(status);
    }

    void run() throws Exception {
        Path cache = cacheOutput(trainedCommand);
        String role = trainedCommand.get(trainedCommand.size() - 1);
        if (!role.equals("start") && !role.equals("worker")) {
            throw new IllegalArgumentException("the trained command must end with start or worker, not " + role);
        }
        Files.deleteIfExists(cache);
        // In an image the working directory is /app, baked as it is left here: the run may add the cache, nothing else.
        Path directory = Path.of("").toAbsolutePath();
        List<Path> before = listing(directory);
        RedisServer redis = null;
        GcsEmulator storage = null;
        GeminiEmulator gemini = null;
        try {
            int redisPort = freePort();
            redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").build();
            redis.start();
            storage = GcsEmulator.start(Files.createDirectories(work.resolve("objects")), 0);
            gemini = GeminiEmulator.start(0);
            // files:register reads gs:// objects from the storage emulator, as Gemini reads Cloud Storage.
            gemini.setStorageUrl(storage.baseUrl());
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
            settings.put("STORAGE_EMULATOR_HOST", storage.baseUrl());
            settings.put("GEMINI_API_KEY", "aot-training");
            settings.put("GEMINI_BASE_URL", gemini.baseUrl());
            settings.put("GEMINI_STORY_MODEL", GeminiEmulator.STORY_MODEL);
            settings.put("GEMINI_IMAGE_MODEL", GeminiEmulator.IMAGE_MODEL);
            settings.put("BUCKET_NAME", BUCKET);
            settings.put("PROJECT_ID", "aot-training");
            settings.put("PANEL_CLIENT_JOBS_PER_HOUR", "1000000");
            settings.put("PANEL_DAILY_JOB_BUDGET", "1000000");
            // As deploy.sh deploys the worker: Gemini reads the photos from storage.
            settings.put("PANEL_GEMINI_PHOTOS", "register");

            Service trained = launch(role, trainedCommand, settings);
            String other = role.equals("start") ? "worker" : "start";
            Service companion = launch(other, companionCommand(trainedCommand), settings);
            Service api = role.equals("start") ? trained : companion;
            trained.awaitHealth();
            companion.awaitHealth();
            say("both services up; " + jobs + " jobs, " + IN_FLIGHT + " in flight, training " + role);
            driveJobs(api.port);
            say("all " + jobs + " jobs COMPLETED; stopping " + role + " so its JVM writes " + cache.getFileName());
            trained.process.destroy(); // SIGTERM, as Cloud Run stops an instance
            if (!trained.process.waitFor(EXIT_BUDGET.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(role + " did not exit within " + EXIT_BUDGET + "; see " + tail(trained));
            }
            int exit = trained.process.exitValue();
            // 143 = 128 + SIGTERM: the JVM's usual status after shutting down on that signal.
            if (exit != 0 && exit != 143) {
                throw new IllegalStateException(role + " exited with " + exit + "\n" + tail(trained));
            }
            if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
                throw new IllegalStateException("no cache at " + cache + " after " + role + " exited\n" + tail(trained));
            }
            List<Path> added = new ArrayList<>(listing(directory));
            added.removeAll(before);
            added.remove(cache);
            if (!added.isEmpty()) {
                throw new IllegalStateException("the services left " + added + " in the working directory " + directory);
            }
            say("wrote " + cache + " (" + Files.size(cache) / (1024 * 1024) + " MiB)");
        } finally {
            stopAll();
            if (gemini != null) {
                gemini.close();
            }
            if (storage != null) {
                storage.close();
            }
            if (redis != null) {
                redis.stop();
            }
        }
    }

    /** The file after {@code -XX:AOTCacheOutput=}, relative to the working directory the command runs in. */
    static Path cacheOutput(List<String> command) {
        return command.stream().filter(a -> a.startsWith("-XX:AOTCacheOutput=")).findFirst()
                .map(a -> Path.of(a.substring("-XX:AOTCacheOutput=".length())).toAbsolutePath())
                .orElseThrow(() -> new IllegalArgumentException("the trained command has no -XX:AOTCacheOutput="));
    }

    /** The other role, from the same jar with the same flags, recording nothing. */
    static List<String> companionCommand(List<String> trained) {
        List<String> command = new ArrayList<>(trained.stream().filter(a -> !a.startsWith("-XX:AOT")).toList());
        String role = command.remove(command.size() - 1);
        command.add(role.equals("start") ? "worker" : "start");
        return command;
    }

    private record Service(String role, Process process, int port, Path log, AotTraining training) {
        void awaitHealth() throws Exception {
            training.awaitHealth(this);
        }
    }

    private Service launch(String role, List<String> command, Map<String, String> settings) throws IOException {
        int port = freePort();
        Path log = work.resolve(role + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        // Only this run's settings: nothing of the caller's reaches the services (a real key or Redis least of all).
        env.keySet().removeIf(key -> key.startsWith("PANEL_") || key.startsWith("GEMINI_") || key.startsWith("GOOGLE_")
                || key.startsWith("REDIS_") || key.startsWith("STORAGE_") || key.equals("BUCKET_NAME")
                || key.equals("PROJECT_ID") || key.equals("JAVA_TOOL_OPTIONS") || key.equals("JDK_JAVA_OPTIONS"));
        env.putAll(settings);
        env.put("PORT", Integer.toString(port));
        env.put("MANAGEMENT_PORT", Integer.toString(freePort()));
        Process process = builder.start();
        synchronized (started) {
            started.add(process);
        }
        return new Service(role, process, port, log, this);
    }

    private void awaitHealth(Service service) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_BUDGET.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.process.isAlive()) {
                throw new IllegalStateException(service.role + " exited before answering /health\n" + tail(service));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(service.role + " did not answer /health within " + START_BUDGET + "\n"
                + tail(service));
    }

    private void driveJobs(int apiPort) throws Exception {
        String base = "http://127.0.0.1:" + apiPort;
        Multipart body = fourPhotos();
        ExecutorService clients = Executors.newFixedThreadPool(IN_FLIGHT);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                done.add(clients.submit(() -> {
                    oneJob(base, body);
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get(JOB_BUDGET.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** One job as a client runs it: POST, watch its WebSocket to COMPLETED, then read it once. */
    private void oneJob(String base, Multipart body) throws Exception {
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base + "/generate"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofString());
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("POST /generate answered " + accepted.statusCode() + ": " + accepted.body());
        }
        String jobId = JSON.readTree(accepted.body()).path("job_id").asText();
        String end = awaitEnd(base.replace("http://", "ws://") + "/ws/" + jobId).get(JOB_BUDGET.toSeconds(),
                TimeUnit.SECONDS);
        if (!end.equals("COMPLETED")) {
            throw new IllegalStateException("job " + jobId + " ended " + end);
        }
        HttpResponse<String> job = http.send(HttpRequest.newBuilder(URI.create(base + "/job/" + jobId))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        String status = job.statusCode() == 200 ? JSON.readTree(job.body()).path("status").asText() : "";
        if (!status.equals("COMPLETED")) {
            throw new IllegalStateException("GET /job/" + jobId + " answered " + job.statusCode() + ": " + job.body());
        }
    }

    /** The status that ended the job on its WebSocket: COMPLETED or FAILED. */
    private CompletableFuture<String> awaitEnd(String url) {
        CompletableFuture<String> ended = new CompletableFuture<>();
        StringBuilder partial = new StringBuilder();
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(URI.create(url),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String status = statusOf(partial.toString());
                            partial.setLength(0);
                            if (status.equals("COMPLETED") || status.equals("FAILED")) {
                                ended.complete(status);
                                socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
                            }
                        }
                        socket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                        ended.complete("closed (" + code + " " + reason + ") before the job ended");
                        return null;
                    }

                    @Override
                    public void onError(WebSocket socket, Throwable error) {
                        ended.completeExceptionally(error);
                    }
                }).whenComplete((socket, error) -> {
                    if (error != null) {
                        ended.completeExceptionally(error);
                    }
                });
        return ended;
    }

    private static String statusOf(String frame) {
        try {
            JsonNode node = JSON.readTree(frame);
            return node.path("status").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    /** Four small noise photos (640 x 480 JPEG), as a multipart/form-data body of {@code files} parts. */
    static Multipart fourPhotos() throws IOException {
        String boundary = "aot-training-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"photo-" + i
                    + ".jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(photo(640, 480, i));
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return new Multipart("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    record Multipart(String contentType, byte[] bytes) {}

    private static byte[] photo(int width, int height, int seed) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        // Soft gradients with a little noise: a photo-like JPEG of some tens of KB, not a flat colour.
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + random.nextInt(16)) & 0xFF;
                int g = (y * 255 / height + random.nextInt(16)) & 0xFF;
                int b = ((x + y) * 127 / (width + height) + seed * 40 + random.nextInt(16)) & 0xFF;
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "jpg", out)) {
            throw new IllegalStateException("no JPEG writer in this runtime");
        }
        return out.toByteArray();
    }

    private void stopAll() {
        List<Process> all;
        synchronized (started) {
            all = new ArrayList<>(started);
            started.clear();
        }
        for (Process process : all) {
            process.destroy();
        }
        for (Process process : all) {
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static List<Path> listing(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(Path::toAbsolutePath).toList();
        }
    }

    private static String tail(Service service) {
        try {
            List<String> lines = Files.readAllLines(service.log);
            return "last lines of " + service.role + "'s output:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output from " + service.role + ")";
        }
    }

    private static void say(String line) {
        System.out.println("AOT training: " + line);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp folder; the build's tmpfs or the OS clears what is left
        }
    }
}
