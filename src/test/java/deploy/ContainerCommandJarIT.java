package deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.BucketInfo;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.Multipart;
import support.PanelHarness;
import support.Photos;
import support.TestRedis;

/**
 * Runs what the container images run, as far as this machine allows without Docker: the service jar extracted as
 * the Dockerfiles do, their AOT training run (on jobs, from the standalone jar), then each Dockerfile's exact final command
 * on JDK 25 with only environment variables for configuration. Checks {@code /health} on {@code $PORT}, a job end to end across the two
 * processes, and the JSON log lines Cloud Logging reads.
 */
class ContainerCommandJarIT {
    private static final String TRACE_ID = "105445aa7843bc8bf206b12000100000";
    private static final String GEMINI_KEY = "AIzaFAKE-key-that-must-never-be-logged-42";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PanelHarness harness;
    private static Path appDir;
    private static Path java25;
    private static final List<Process> processes = new ArrayList<>();
    private static final Set<Integer> PICKED_PORTS = new HashSet<>();

    @BeforeAll
    static void extractAndTrain() throws Exception {
        java25 = findJava25();
        Assumptions.assumeTrue(java25 != null, "needs a JDK 25 under /usr/lib/jvm (the images run Temurin 25)");
        Path fullJar = Path.of("target/panel-one-standalone.jar").toAbsolutePath();
        Path serviceJar = Path.of("target/panel-one-service.jar").toAbsolutePath();
        assertThat(fullJar).as("built by mvn package before this test").exists();
        assertThat(serviceJar).as("built by mvn package before this test").exists();
        harness = new PanelHarness();
        appDir = harness.root.resolve("app");
        // As the Dockerfiles: the service jar, named panel-one.jar, extracted to the app folder.
        Path mounted = Files.createDirectories(harness.root.resolve("mount")).resolve("panel-one.jar");
        Files.copy(serviceJar, mounted);
        run(List.of(java25.toString(), "-Djarmode=tools", "-jar", mounted.toString(), "extract",
                "--destination", appDir.toString()), harness.root, Map.of(), Duration.ofSeconds(60));

        // The Dockerfile's training RUN word for word, with the build stage's jar where the image mounts it:
        // redis-server, the emulators and both roles from the extracted jar, /health, then SIGTERM.
        List<String> command = new ArrayList<>(trainingRun(Path.of("Dockerfile")));
        command.replaceAll(arg -> arg.equals("java") ? java25.toString()
                : arg.equals("/training/panel-one.jar") ? fullJar.toString() : arg);
        String log = run(command, appDir, Map.of(), Duration.ofSeconds(600));
        assertThat(log).contains("jobs COMPLETED").contains("wrote");
        assertThat(appDir.resolve("app.aot")).exists();
        try (Stream<Path> left = Files.list(appDir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("panel-one.jar", "lib",
                    "app.aot");
        }
    }

    /** The words of the Dockerfile's AOT training RUN, without its BuildKit mounts. */
    private static List<String> trainingRun(Path dockerfile) throws IOException {
        List<DockerfileCommand.Instruction> runs = DockerfileCommand.stages(dockerfile).stream()
                .flatMap(stage -> stage.all("RUN").stream())
                .filter(i -> i.arguments().contains("aot.AotTraining")).toList();
        assertThat(runs).hasSize(1);
        return Stream.of(runs.get(0).arguments().split("\\s+")).filter(w -> !w.startsWith("--mount=")).toList();
    }

    @AfterAll
    static void stop() {
        processes.forEach(Process::destroyForcibly);
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void bothImagesAnswerHealthOnPortRunAJobAndLogJsonForCloudLogging() throws Exception {
        harness.storage.create(BucketInfo.of("panel-image-test"));
        Map<String, String> env = Map.of(
                "REDIS_URL", TestRedis.get().url(),
                "STORAGE_EMULATOR_HOST", harness.gcs.baseUrl(),
                "BUCKET_NAME", "panel-image-test",
                "PROJECT_ID", "panel-project",
                "GEMINI_API_KEY", GEMINI_KEY,
                "GEMINI_BASE_URL", harness.gemini.baseUrl());
        int apiPort = unusedPort();
        int workerPort = unusedPort();
        Path apiLog = start("Dockerfile", env, apiPort);
        Path workerLog = start("Dockerfile.worker", env, workerPort);
        awaitHealth(apiPort);
        awaitHealth(workerPort);

        Multipart body = Photos.twoPhotos();
        HttpResponse<String> accepted = harness.http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + apiPort + "/generate"))
                .header("Content-Type", body.contentType())
                .header("X-Cloud-Trace-Context", TRACE_ID + "/1;o=1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.body())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = JSON.readTree(accepted.body()).path("job_id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> "COMPLETED".equals(JSON.readTree(harness.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/job/" + jobId)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("status").asText()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(workerLog).contains("COMPLETED"));
        // JDK 25 runs requests on virtual threads, though this jar was built and AOT-processed on JDK 17: no
        // platform pool behind PORT (Tomcat keeps its poller and acceptor) and no platform task executor.
        List<String> apiThreads = platformThreadNames(processes.get(0));
        assertThat(apiThreads.stream().filter(name -> name.startsWith("http-nio-" + apiPort))).hasSizeLessThanOrEqualTo(2);
        assertThat(apiThreads).noneMatch(name -> name.startsWith("task-"));

        List<JsonNode> api = jsonLines(apiLog);
        List<JsonNode> worker = jsonLines(workerLog);
        for (JsonNode line : concat(api, worker)) {
            assertThat(line.has("severity")).as(line.toString()).isTrue();
            assertThat(line.has("message")).isTrue();
            assertThat(line.has("level")).isFalse();
        }
        assertThat(api).anySatisfy(line -> {
            assertThat(line.path("job_id").asText()).isEqualTo(jobId);
            assertThat(line.path("logging.googleapis.com/trace").asText())
                    .isEqualTo("projects/panel-project/traces/" + TRACE_ID);
        });
        List<JsonNode> workerJobLines = worker.stream()
                .filter(line -> line.path("message").asText().startsWith("Job status")).toList();
        assertThat(workerJobLines).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(line -> assertThat(line.path("job_id").asText()).isEqualTo(jobId));
        assertThat(Files.readString(apiLog) + Files.readString(workerLog)).doesNotContain(GEMINI_KEY);
    }

    private static Path start(String dockerfile, Map<String, String> env, int port) throws IOException {
        List<String> command = new ArrayList<>(DockerfileCommand.finalCommand(Path.of(dockerfile)));
        command.set(0, java25.toString());
        Path log = harness.root.resolve(dockerfile + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(appDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("MANAGEMENT_PORT", Integer.toString(unusedPort()));
        processes.add(builder.start());
        return log;
    }

    /** The names of a process's platform threads (as the kernel has them: 15 characters at most). */
    private static List<String> platformThreadNames(Process process) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            return tasks.map(task -> {
                try {
                    return Files.readString(task.resolve("comm")).trim();
                } catch (IOException ended) {
                    return "";
                }
            }).toList();
        }
    }

    /**
     * A free port not handed out before in this test: the JVMs bind theirs seconds after the ports are picked, so a
     * free port alone could be picked twice (a worker once died on its management port, taken by the API's).
     */
    private static int unusedPort() {
        int port;
        do {
            port = TestRedis.freePort();
        } while (!PICKED_PORTS.add(port));
        return port;
    }

    private static void awaitHealth(int port) {
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> harness.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    private static List<JsonNode> jsonLines(Path log) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isBlank() || !line.startsWith("{")) {
                // The JVM's own warnings (e.g. about the AOT cache) are not application logs.
                continue;
            }
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).isNotEmpty();
        return lines;
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /** Runs a command to its end, which must be a zero exit; returns its output. */
    private static String run(List<String> command, Path dir, Map<String, String> env, Duration timeout)
            throws Exception {
        Path log = Files.createTempFile("panel-run", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("REDIS_URL");
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean done = process.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(done && process.exitValue() == 0).as(String.join(" ", command) + "\n" + output).isTrue();
        return output;
    }

    private static Path findJava25() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> d.getFileName().toString().matches(".*-25.*"))
                    .map(d -> d.resolve("bin" + File.separator + "java")).filter(Files::isExecutable)
                    .findFirst().orElse(null);
        }
    }
}
