package ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;
import support.Multipart;
import support.PanelHarness;
import support.Photos;

/**
 * Every kind of bad upload gets the right 4xx and a readable {@code detail}, and leaves nothing behind: no new
 * Redis key (no job, no queued message) and no stored object.
 */
class BadInputIT {
    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = harness.startApi();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    static Stream<Arguments> badUploads() {
        byte[] jpeg = Photos.jpeg(64, 48, Color.RED);
        byte[] png = Photos.png(64, 48, Color.GREEN);
        byte[] pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        return Stream.of(
                bad("no parts", () -> new Multipart(), 400, "No files"),
                bad("a part not named files", () -> new Multipart().file("photo", "a.jpg", "image/jpeg", jpeg), 400, "files"),
                bad("a text field named files", () -> new Multipart().field("files", "hello"), 400, "not a file"),
                bad("zero-byte file", () -> new Multipart().file("files", "empty.jpg", "image/jpeg", new byte[0]), 400, "empty"),
                bad("text renamed .jpg", () -> new Multipart().file("files", "notes.jpg", "image/jpeg",
                        "just some text".getBytes(StandardCharsets.UTF_8)), 400, "notes.jpg"),
                bad("PDF renamed .jpg", () -> new Multipart().file("files", "doc.jpg", "image/jpeg", pdf), 400, "doc.jpg"),
                bad("truncated JPEG", () -> new Multipart().file("files", "cut.jpg", "image/jpeg",
                        Arrays.copyOf(jpeg, jpeg.length / 2)), 400, "truncated"),
                bad("truncated PNG", () -> new Multipart().file("files", "cut.png", "image/png",
                        Arrays.copyOf(png, png.length - 10)), 400, "PNG"),
                bad("declared type lies", () -> new Multipart().file("files", "photo.png", "image/png", jpeg), 400, "declared"),
                bad("eleven files", () -> {
                    Multipart m = new Multipart();
                    for (int i = 0; i < 11; i++) {
                        m.file("files", "p" + i + ".jpg", "image/jpeg", jpeg);
                    }
                    return m;
                }, 400, "at most 10"),
                bad("one file over 20 MiB", () -> new Multipart().file("files", "big.jpg", "image/jpeg",
                        new byte[21 * 1024 * 1024]), 413, "20 MiB"),
                // Refused after 20 MiB with 30 MiB still to come: the rest must be read, or the client gets a reset.
                bad("one 50 MiB file in a request under 60 MiB", () -> new Multipart().file("files", "huge.jpg",
                        "image/jpeg", new byte[50 * 1024 * 1024]), 413, "20 MiB"),
                bad("request over 60 MiB", () -> {
                    Multipart m = new Multipart();
                    for (int i = 0; i < 4; i++) {
                        m.file("files", "big" + i + ".jpg", "image/jpeg", new byte[16 * 1024 * 1024]);
                    }
                    return m;
                }, 413, "60 MiB"),
                bad("a file name with a NUL byte", () -> new Multipart().file("files", "nul\u0000byte.jpg", "image/jpeg",
                        jpeg), 400, "file name"),
                bad("a good photo then a bad one", () -> new Multipart()
                        .file("files", "good.jpg", "image/jpeg", jpeg)
                        .file("files", "bad.jpg", "image/jpeg", "nope".getBytes(StandardCharsets.UTF_8)), 400, "bad.jpg"));
    }

    private static Arguments bad(String name, Supplier<Multipart> body, int status, String detailPart) {
        return Arguments.of(name, body, status, detailPart);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUploads")
    void isRefusedClearlyAndLeavesNothingBehind(String name, Supplier<Multipart> body, int status, String detailPart)
            throws Exception {
        Set<String> keysBefore = harness.redis.keys();
        List<String> objectsBefore = harness.objects("");

        HttpResponse<String> response = harness.post(api, body.get());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(PanelHarness.json(response.body()).path("detail").asText()).containsIgnoringCase(detailPart);
        assertThat(harness.redis.keys()).isEqualTo(keysBefore);
        assertThat(harness.objects("")).isEqualTo(objectsBefore);
    }

    @Test
    void storageFailingDuringUploadGives503AndLeavesNothing() throws Exception {
        Set<String> keysBefore = harness.redis.keys();
        List<String> objectsBefore = harness.objects("");
        Multipart body = Photos.twoPhotos();
        harness.gcs.failNext("*", "/upload/storage/v1/b/" + PanelHarness.BUCKET + "/o", 503, 1000);
        try {
            HttpResponse<String> response = harness.post(api, body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(PanelHarness.json(response.body()).path("detail").asText()).contains("nothing was stored");
        } finally {
            harness.gcs.clearFaults();
        }
        assertThat(harness.redis.keys()).isEqualTo(keysBefore);
        assertThat(harness.objects("")).isEqualTo(objectsBefore);
    }

    @Test
    void aRequestThatIsNotMultipartGets415() throws Exception {
        Set<String> keysBefore = harness.redis.keys();
        HttpResponse<String> response = harness.http.send(HttpRequest.newBuilder(
                        URI.create(PanelHarness.baseUrl(api) + "/generate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"files\":[]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(PanelHarness.json(response.body()).path("detail").asText()).contains("multipart/form-data");
        assertThat(harness.redis.keys()).isEqualTo(keysBefore);
    }

    @Test
    void hostileFileNamesNeverBecomeObjectNames() throws Exception {
        byte[] jpeg = Photos.jpeg(64, 48, Color.RED);
        Multipart body = new Multipart()
                .file("files", "../../etc/passwd.jpg", "image/jpeg", jpeg)
                .file("files", "x".repeat(500) + ".jpg", "image/jpeg", jpeg)
                .rawNameFile("files", new byte[] {(byte) 0xff, (byte) 0xfe, 'a', '.', 'j', 'p', 'g'}, "image/jpeg", jpeg);
        HttpResponse<String> response = harness.post(api, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String jobId = PanelHarness.json(response.body()).path("job_id").asText();
        List<String> names = harness.objects("inputs/" + jobId + "/");
        assertThat(names).hasSize(3).allSatisfy(name -> {
            String last = name.substring(("inputs/" + jobId + "/").length());
            assertThat(last).matches("[0-9]+-[A-Za-z0-9._-]+\\.jpg").doesNotContain("..").hasSizeLessThan(100);
        });
    }

    @Test
    void aMalformedJobIdIsNotFoundOnPollingAndWebSocket() throws Exception {
        assertThat(harness.get(api, "/job/DROP%20TABLE").statusCode()).isEqualTo(404);
        assertThat(harness.get(api, "/job/panel:job:x").statusCode()).isEqualTo(404);
        // The servlet container itself refuses encoded slashes; still a 4xx, never a lookup.
        assertThat(harness.get(api, "/job/..%2F..%2Fsecret").statusCode()).isBetween(400, 404);
        var frames = harness.subscribe(api, "not-a-uuid");
        assertThat(frames.closeCode(java.time.Duration.ofSeconds(10))).isEqualTo(1000);
        assertThat(frames.frames()).hasSize(1);
        assertThat(frames.frames().get(0).path("detail").asText()).isEqualTo("Job not found");
    }
}
