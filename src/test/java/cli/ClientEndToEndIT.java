package cli;

import emulator.GeminiEmulator;
import static org.assertj.core.api.Assertions.assertThat;

import clients.GeminiGateway;
import com.fasterxml.jackson.databind.JsonNode;
import emulator.Fault;
import emulator.RecordedCall;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import jobs.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import support.PanelHarness;
import support.Photos;
import support.TestRedis;

/**
 * The client as a person runs it: its own JVM ({@code java … app.PanelOneApplication client}), stdout and stderr
 * on pipes (so no terminal, so plain output), against the real service — API and worker over a real redis-server,
 * with the storage and Gemini emulators behind them.
 */
class ClientEndToEndIT {
    private static final byte ESC = 0x1b;
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Pattern URL_LINE = Pattern.compile("(?m)^URL +(\\S+)$");
    private static final Pattern SAVED_LINE = Pattern.compile("(?m)^Saved +(.+)$");
    private static final Pattern JOB_LINE = Pattern.compile("(?m)^ +job ([0-9a-f-]{36})$");

    private static PanelHarness harness;
    private static ConfigurableApplicationContext service;
    private static String apiUrl;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startService() throws IOException {
        harness = new PanelHarness();
        service = harness.start(Map.of(), "api", "worker");
        apiUrl = PanelHarness.baseUrl(service);
    }

    @AfterAll
    static void stopService() {
        if (harness != null) {
            harness.close();
        }
    }

    @BeforeEach
    void freshEmulator() {
        harness.gemini.reset();
    }

    @Test
    void twoPhotosBecomeAPanelFollowedLiveAndSavedAsThePngTheUrlServes() throws Exception {
        Path photos = folder("photos");
        Files.write(photos.resolve("beach.jpg"), Photos.jpeg(320, 240, Color.BLUE));
        Files.write(photos.resolve("dog.png"), Photos.png(200, 200, Color.ORANGE));

        Run run = client("--dir", photos.toString(), "--api-url", apiUrl);

        assertThat(run.exit).as(run.describe()).isZero();
        run.assertPlain();
        String jobId = run.find(JOB_LINE);
        // Followed over the WebSocket the real server offers, never by polling.
        assertThat(run.out).as(run.describe())
                .contains("live updates over ws://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port")
                        + "/ws/" + jobId)
                .doesNotContain("polling")
                .containsPattern("(?m)^\\[\\d\\d:\\d\\d] COMPLETED +Done$")
                .contains("ok    beach.jpg", "ok    dog.png", "Panel ready in");

        JsonNode job = harness.job(service, jobId);
        assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
        String imageUrl = job.path("result").path("image_url").asText();
        assertThat(run.find(URL_LINE)).isEqualTo(imageUrl);
        for (String line : job.path("result").path("story").asText().strip().split("\\R")) {
            assertThat(run.out).contains(line);
        }

        Path saved = Path.of(run.find(SAVED_LINE));
        assertThat(saved).isAbsolute().isEqualTo(photos.resolve("panel-" + jobId + ".png").toAbsolutePath());
        byte[] panel = Files.readAllBytes(saved);
        assertThat(Arrays.copyOf(panel, PNG_SIGNATURE.length)).isEqualTo(PNG_SIGNATURE);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(panel));
        assertThat(image).isNotNull();
        assertThat((double) image.getWidth() / image.getHeight())
                .isCloseTo(16.0 / 9.0, org.assertj.core.data.Offset.offset(0.02));
        assertThat(panel).isEqualTo(fetch(imageUrl));
        assertThat(photos).isDirectoryNotContaining("glob:**/*.part");

        String sample = System.getProperty("client.sample");
        if (sample != null && !sample.isBlank()) {
            Files.writeString(Path.of(sample), run.out, StandardCharsets.UTF_8);
        }
    }

    @Test
    void aTextFileNamedJpgIsSkippedWithItsReasonAndTheOnePhotoIsSent() throws Exception {
        Path photos = folder("mixed");
        Files.write(photos.resolve("cat.jpg"), Photos.jpeg(300, 200, Color.GREEN));
        Files.writeString(photos.resolve("notes.jpg"), "milk, eggs, bread\n");
        Path out = tmp.resolve("panels");

        Run run = client("--dir", photos.toString(), "--api-url", apiUrl, "--out", out.toString());

        assertThat(run.exit).as(run.describe()).isZero();
        run.assertPlain();
        assertThat(run.out).contains("ok    cat.jpg", "skip  notes.jpg: is not a JPEG, PNG, WebP, HEIC or HEIF image",
                "Sending 1 image to");
        String jobId = run.find(JOB_LINE);
        assertThat(Path.of(run.find(SAVED_LINE))).isEqualTo(out.resolve("panel-" + jobId + ".png").toAbsolutePath());
        assertThat(out.resolve("panel-" + jobId + ".png")).isRegularFile();

        // Both model calls saw exactly the one photo.
        List<RecordedCall> calls = harness.gemini.calls();
        assertThat(calls).extracting(RecordedCall::model)
                .containsExactly(GeminiEmulator.STORY_MODEL, GeminiEmulator.IMAGE_MODEL);
        assertThat(calls).allSatisfy(call -> assertThat(call.request().findValues("fileData")).hasSize(1));
    }

    @Test
    void aFolderWithoutImagesExitsTwoAndCreatesNoJob() throws Exception {
        Path photos = folder("nothing");
        Files.writeString(photos.resolve("notes.jpg"), "milk, eggs, bread\n");
        Files.write(photos.resolve("empty.png"), new byte[0]);
        Files.writeString(photos.resolve("readme.txt"), "holiday photos go here");
        Set<String> jobsBefore = jobKeys();
        long historyBefore = history();

        Run run = client("--dir", photos.toString(), "--api-url", apiUrl);

        assertThat(run.exit).as(run.describe()).isEqualTo(2);
        run.assertPlain();
        assertThat(run.out).contains("skip  notes.jpg: is not a JPEG, PNG, WebP, HEIC or HEIF image", "skip  empty.png: is empty",
                "skip  readme.txt");
        assertThat(run.err).contains("No images to send: " + photos + " has no JPEG, PNG, WebP, HEIC or HEIF photos.");
        assertThat(jobKeys()).isEqualTo(jobsBefore);
        assertThat(history()).isEqualTo(historyBefore);
        assertThat(harness.objects("inputs/")).isEmpty();
        assertThat(harness.gemini.calls()).isEmpty();
    }

    @Test
    void aJobTheImageModelRefusesExitsOneWithTheReason() throws Exception {
        harness.gemini.enqueue(GeminiEmulator.IMAGE_MODEL, Fault.finishReason("IMAGE_SAFETY"));
        Path photos = folder("refused");
        Files.write(photos.resolve("beach.jpg"), Photos.jpeg(320, 240, Color.BLUE));

        Run run = client("--dir", photos.toString(), "--api-url", apiUrl);

        assertThat(run.exit).as(run.describe()).isEqualTo(1);
        run.assertPlain();
        String jobId = run.find(JOB_LINE);
        String reason = harness.job(service, jobId).path("error_message").asText();
        assertThat(reason).containsIgnoringCase("safety");
        assertThat(run.out).containsPattern("(?m)^\\[\\d\\d:\\d\\d] FAILED +Failed$");
        assertThat(run.err).contains("Job failed after ").contains(reason);
        assertThat(photos).isDirectoryNotContaining("glob:**/panel-*");
    }

    @Test
    void anUnreachableApiFromApiUrlIsExplained() throws Exception {
        Path photos = folder("offline");
        Files.write(photos.resolve("beach.jpg"), Photos.jpeg(320, 240, Color.BLUE));
        String nowhere = "http://127.0.0.1:" + TestRedis.freePort();

        Run run = client(Map.of("API_URL", nowhere), "--dir", photos.toString());

        assertThat(run.exit).as(run.describe()).isEqualTo(1);
        run.assertPlain();
        assertThat(run.out).contains("PANEL ONE :: client  " + nowhere, "Checking 1 file in ");
        assertThat(run.err).contains("Cannot reach the API at " + nowhere + ". Is it running? Set --api-url or API_URL.");
    }

    @Test
    void everyRunOfOneUserIsInItsHistoryAndNobodyElses() throws Exception {
        Path photos = folder("mine");
        Files.write(photos.resolve("beach.jpg"), Photos.jpeg(320, 240, Color.BLUE));

        Run first = client("--dir", photos.toString(), "--api-url", apiUrl, "--out", tmp.resolve("p1").toString());
        Run second = client("--dir", photos.toString(), "--api-url", apiUrl, "--out", tmp.resolve("p2").toString());
        assertThat(first.exit).as(first.describe()).isZero();
        assertThat(second.exit).as(second.describe()).isZero();

        String token = Files.readString(tmp.resolve("xdg").resolve("panel-one").resolve("token")).strip();
        assertThat(historyOf(apiUrl, token)).containsExactly(second.find(JOB_LINE), first.find(JOB_LINE));
        assertThat(historyOf(apiUrl, PanelHarness.TOKEN)).doesNotContain(first.find(JOB_LINE));
    }

    @Test
    void keyModeNeedsTheKeyAndSaysHowToGiveIt() throws Exception {
        String key = "cli-team-key-0123456789";
        ConfigurableApplicationContext keyed = harness.start(Map.of("panel.access.api-keys", key), "api");
        try {
            String keyedUrl = PanelHarness.baseUrl(keyed);
            Path photos = folder("keyed");
            Files.write(photos.resolve("beach.jpg"), Photos.jpeg(320, 240, Color.BLUE));

            Run without = client("--dir", photos.toString(), "--api-url", keyedUrl);
            assertThat(without.exit).as(without.describe()).isEqualTo(1);
            assertThat(without.err).contains("needs an API key (401)", "--api-key", "PANEL_API_KEY");

            Run wrong = client("--dir", photos.toString(), "--api-url", keyedUrl, "--api-key", "not-the-key-0123456789");
            assertThat(wrong.exit).as(wrong.describe()).isEqualTo(1);
            assertThat(wrong.err).contains("refused the API key (401)");

            // From the environment, as the README recommends; the worker of the open-mode service runs the job.
            Run right = client(Map.of("PANEL_API_KEY", key), "--dir", photos.toString(), "--api-url", keyedUrl);
            assertThat(right.exit).as(right.describe()).isZero();
            assertThat(historyOf(keyedUrl, key)).containsExactly(right.find(JOB_LINE));
            assertThat(right.out + right.err).doesNotContain(key);
        } finally {
            harness.stop(keyed);
        }
    }

    private static List<String> historyOf(String base, String token) throws Exception {
        HttpResponse<String> response = harness.http.send(HttpRequest.newBuilder(URI.create(base + "/jobs"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        PanelHarness.json(response.body()).forEach(job -> ids.add(job.path("job_id").asText()));
        return ids;
    }

    // --- the client process ------------------------------------------------------------------------------------

    /** What one run of the client left behind. */
    record Run(int exit, String out, String err, byte[] rawOut, byte[] rawErr) {
        String describe() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }

        /** No terminal, so not a single escape code and no carriage-return redraws. */
        void assertPlain() {
            assertThat(rawOut).as(describe()).doesNotContain(ESC).doesNotContain((byte) '\r');
            assertThat(rawErr).as(describe()).doesNotContain(ESC).doesNotContain((byte) '\r');
        }

        String find(Pattern pattern) {
            Matcher matcher = pattern.matcher(out);
            assertThat(matcher.find()).as("%s in\n%s", pattern, describe()).isTrue();
            return matcher.group(1);
        }
    }

    private Run client(String... args) throws Exception {
        return client(Map.of(), args);
    }

    /** Runs {@code java -cp <test classpath> app.PanelOneApplication client ARGS} with stdout and stderr on pipes. */
    private Run client(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "app.PanelOneApplication", "client"));
        command.addAll(List.of(args));
        Path workDir = Files.createDirectories(tmp.resolve("cwd"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().keySet().removeAll(List.of("API_URL", "NO_COLOR", "JAVA_TOOL_OPTIONS", "PANEL_API_KEY"));
        // The client keeps its token under XDG_CONFIG_HOME: the test's folder, never the real ~/.config.
        builder.environment().put("XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        CompletableFuture<byte[]> err = drain(process.getErrorStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the client did not finish within 60 s\n--- stdout\n"
                    + new String(out.getNow(new byte[0]), StandardCharsets.UTF_8));
        }
        byte[] rawOut = out.get(10, TimeUnit.SECONDS);
        byte[] rawErr = err.get(10, TimeUnit.SECONDS);
        Run run = new Run(process.exitValue(), new String(rawOut, StandardCharsets.UTF_8),
                new String(rawErr, StandardCharsets.UTF_8), rawOut, rawErr);
        // The transcript lands in the test's output file, for reading after a surprising run.
        System.out.println("$ client " + String.join(" ", args) + "\n" + run.describe());
        return run;
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    // --- looking behind the service ----------------------------------------------------------------------------

    private Path folder(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    private static byte[] fetch(String url) throws Exception {
        HttpResponse<byte[]> response = harness.http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static Set<String> jobKeys() {
        return harness.redis.redis().keys(RedisKeys.job("*"));
    }

    private static long history() {
        Long size = harness.redis.redis().opsForZSet().zCard(RedisKeys.HISTORY);
        return size == null ? 0 : size;
    }
}
