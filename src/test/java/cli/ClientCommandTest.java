package cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientCommandTest {

    @TempDir
    Path dir;

    /** The client's config folder, so no test touches the real ~/.config. */
    @TempDir
    Path config;

    StandInApi api;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void startApi() throws IOException {
        api = new StandInApi();
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    int client(String... args) {
        if (!List.of(args).contains("--config-dir")) {
            args = java.util.stream.Stream.concat(Stream.of(args), Stream.of("--config-dir", config.toString()))
                    .toArray(String[]::new);
        }
        return ClientCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ClientCommandTest.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        }
    }

    void copy(String resource, String as) throws IOException {
        Files.write(dir.resolve(as), resource(resource));
    }

    @Test
    void refusesAFolderWithoutImagesAndSaysWhatItSkipped() throws IOException {
        copy("not-an-image.jpg", "notes.jpg");
        copy("empty.jpg", "empty.jpg");
        copy("document.pdf.jpg", "document.pdf.jpg");

        int exit = client("--dir", dir.toString(), "--api-url", api.url());

        assertThat(exit).isEqualTo(2);
        assertThat(out()).contains("skip  notes.jpg: is not a JPEG, PNG, WebP, HEIC or HEIF image", "skip  empty.jpg: is empty",
                "skip  document.pdf.jpg: is not a JPEG, PNG, WebP, HEIC or HEIF image");
        assertThat(err()).contains("No images to send");
        assertThat(api.requests).isEmpty();
    }

    @Test
    void refusesElevenImagesWithoutSendingAnything() throws IOException {
        for (int i = 1; i <= 11; i++) {
            copy("photo.jpg", "photo-" + i + ".jpg");
        }

        int exit = client("--dir", dir.toString(), "--api-url", api.url());

        assertThat(exit).isEqualTo(2);
        assertThat(err()).contains("Too many images", "has 11", "at most 10");
        assertThat(api.requests).isEmpty();
    }

    @Test
    void refusesAMissingFolder() {
        assertThat(client("--dir", dir.resolve("absent").toString(), "--api-url", api.url())).isEqualTo(2);
        assertThat(err()).contains("Not a folder");
        assertThat(api.requests).isEmpty();
    }

    @Test
    void requiresDir() {
        assertThat(client("--api-url", api.url())).isEqualTo(2);
        assertThat(err()).contains("Missing required option: '--dir=DIR'");
    }

    @Test
    void sendsValidImagesFollowsByPollingAndSavesThePanel() throws IOException {
        copy("photo.jpg", "beach.jpg");
        copy("photo.webp", "dog.webp");
        copy("truncated.png", "cut.png");
        Files.writeString(dir.resolve("readme.txt"), "not a photo");
        byte[] panel = resource("photo.png");
        api.completes("Two friends chase the tide.", panel);
        Path saveTo = dir.resolve("panels");

        int exit = client("--dir", dir.toString(), "--api-url", api.url(), "--out", saveTo.toString());

        assertThat(exit).as(err()).isEqualTo(0);
        Path saved = saveTo.resolve("panel-" + StandInApi.JOB_ID + ".png");
        assertThat(saved).hasBinaryContent(panel);
        assertThat(out()).contains("skip  cut.png: is a truncated PNG", "skip  readme.txt: is not a JPEG, PNG, WebP, HEIC or HEIF image",
                "Two friends chase the tide.", api.panelUrl(), saved.toAbsolutePath().toString(),
                "QUEUED", "COMPLETED", "live updates unavailable (HTTP 404); polling every second");

        StandInApi.Request upload = api.requestsTo("/generate").get(0);
        assertThat(upload.contentType()).startsWith("multipart/form-data; boundary=");
        assertThat(upload.body())
                .contains("name=\"files\"; filename=\"beach.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
                .contains("name=\"files\"; filename=\"dog.webp\"\r\nContent-Type: image/webp\r\n\r\n")
                .contains(new String(resource("photo.jpg"), StandardCharsets.ISO_8859_1))
                .doesNotContain("cut.png", "readme.txt");
        assertThat(api.requestsTo("/job/")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void plainOutputHasNoEscapeCodes() throws IOException {
        copy("photo.jpg", "beach.jpg");
        copy("not-an-image.jpg", "notes.jpg");
        api.completes("A quiet morning.", resource("photo.png"));

        assertThat(client("--dir", dir.toString(), "--api-url", api.url())).isEqualTo(0);

        assertThat(out() + err()).doesNotContain("\u001b").doesNotContain("\r");
        assertThat(out()).containsPattern("(?m)^\\[\\d\\d:\\d\\d] QUEUED +Waiting in the queue$");
    }

    @Test
    void savesNextToThePhotosByDefaultAndSkipsThatPanelNextTime() throws IOException {
        copy("photo.jpg", "beach.jpg");
        api.completes("Again.", resource("photo.png"));
        assertThat(client("--dir", dir.toString(), "--api-url", api.url())).isEqualTo(0);
        assertThat(dir.resolve("panel-" + StandInApi.JOB_ID + ".png")).exists();

        out.reset();
        api.rejects(400, "stop here");
        client("--dir", dir.toString(), "--api-url", api.url());

        assertThat(out()).contains("skip  panel-" + StandInApi.JOB_ID + ".png: is a panel from an earlier run");
    }

    @Test
    void failedJobPrintsTheReasonInRedAndExitsOne() throws IOException {
        copy("photo.png", "cat.png");
        api.fails("The image model refused: safety filter");

        assertThat(client("--dir", dir.toString(), "--api-url", api.url())).isEqualTo(1);

        assertThat(err()).contains("Job failed", "The image model refused: safety filter");
        assertThat(dir).isDirectoryNotContaining("glob:**/panel-*");
    }

    @Test
    void apiRejectionPrintsItsDetail() throws IOException {
        copy("photo.png", "cat.png");
        api.rejects(413, "cat.png is larger than 20 MiB");

        assertThat(client("--dir", dir.toString(), "--api-url", api.url())).isEqualTo(1);

        assertThat(err()).contains("(413)", "cat.png is larger than 20 MiB");
        assertThat(api.requestsTo("/job/")).isEmpty();
    }

    @Test
    void unreachableApiIsExplained() throws IOException {
        copy("photo.png", "cat.png");
        String closedPort = api.url();
        api.close();

        assertThat(client("--dir", dir.toString(), "--api-url", closedPort)).isEqualTo(1);

        assertThat(err()).contains("Cannot reach the API at " + closedPort);
    }

    @ParameterizedTest
    @CsvSource({"90, PT1M30S", "90s, PT1M30S", "10m, PT10M", "1h, PT1H", "PT2M, PT2M"})
    void readsTimeouts(String value, String expected) {
        assertThat(new ClientCommand.DurationConverter().convert(value)).isEqualTo(Duration.parse(expected));
    }

    @Test
    void rejectsABadTimeout() throws IOException {
        copy("photo.png", "cat.png");
        assertThat(client("--dir", dir.toString(), "--api-url", api.url(), "--timeout", "soon")).isEqualTo(2);
        assertThat(err()).contains("'soon' is not a duration");
        assertThat(api.requests).isEmpty();
    }

    // --- Who the client is ---------------------------------------------------------------------------------------

    @Test
    void keepsOneTokenInItsConfigFolderAndSendsItToTheApiOnly() throws IOException {
        copy("photo.jpg", "beach.jpg");
        api.completes("Once.", resource("photo.png"));
        assertThat(client("--dir", dir.toString(), "--api-url", api.url(), "--out", dir.resolve("a").toString()))
                .as(err()).isEqualTo(0);
        Path file = config.resolve(ClientToken.FILE_NAME);
        String token = Files.readString(file).strip();
        assertThat(token).matches("[A-Za-z0-9_-]{32}");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        api.close();
        api = new StandInApi().completes("Twice.", resource("photo.png"));
        assertThat(client("--dir", dir.toString(), "--api-url", api.url(), "--out", dir.resolve("b").toString()))
                .as(err()).isEqualTo(0);
        assertThat(Files.readString(file).strip()).as("the same token on the next run").isEqualTo(token);
        assertThat(api.requestsTo("/generate")).extracting(StandInApi.Request::authorization)
                .containsExactly("Bearer " + token);
        assertThat(api.requestsTo("/job/")).isNotEmpty().extracting(StandInApi.Request::authorization)
                .containsOnly("Bearer " + token);
        // The panel lives in storage, not in the API: the token is not sent there.
        assertThat(api.requestsTo("/outputs/")).isNotEmpty().extracting(StandInApi.Request::authorization)
                .containsOnlyNulls();
    }

    @Test
    void anApiKeyIsSentInsteadOfTheKeptToken() throws IOException {
        copy("photo.jpg", "beach.jpg");
        String key = "team-key-0123456789abcdef";
        assertThat(client("--dir", dir.toString(), "--api-url", api.url(), "--api-key", key)).as(err()).isEqualTo(0);
        assertThat(api.requestsTo("/generate")).extracting(StandInApi.Request::authorization)
                .containsExactly("Bearer " + key);
        assertThat(config.resolve(ClientToken.FILE_NAME)).doesNotExist();
        assertThat(out() + err()).doesNotContain(key);
    }

    @Test
    void a401SaysHowToGiveTheKey() throws IOException {
        copy("photo.jpg", "beach.jpg");
        api.rejects(401, "This Panel One needs an API key.");
        assertThat(client("--dir", dir.toString(), "--api-url", api.url())).isEqualTo(1);
        assertThat(err()).contains("needs an API key (401)", "--api-key", "PANEL_API_KEY");

        err.reset();
        api.rejects(401, "The API key is not valid.");
        assertThat(client("--dir", dir.toString(), "--api-url", api.url(), "--api-key", "wrong-key-0123456789"))
                .isEqualTo(1);
        assertThat(err()).contains("refused the API key (401)", "The API key is not valid.")
                .doesNotContain("wrong-key-0123456789");
    }

    @Test
    void aMalformedKeyIsAUsageError() throws IOException {
        copy("photo.jpg", "beach.jpg");
        assertThat(client("--dir", dir.toString(), "--api-url", api.url(), "--api-key", "has space in it ok"))
                .isEqualTo(2);
        assertThat(api.requests).isEmpty();
    }

    @Test
    void theConfigFolderFollowsXdgOnLinux() {
        Path home = Path.of("/home/ana");
        assertThat(ClientToken.configFolder(Map.of(), "Linux", home)).isEqualTo(Path.of("/home/ana/.config/panel-one"));
        assertThat(ClientToken.configFolder(Map.of("XDG_CONFIG_HOME", "/xdg"), "Linux", home))
                .isEqualTo(Path.of("/xdg/panel-one"));
        // The XDG spec: a relative path is invalid and ignored.
        assertThat(ClientToken.configFolder(Map.of("XDG_CONFIG_HOME", "rel"), "Linux", home))
                .isEqualTo(Path.of("/home/ana/.config/panel-one"));
        assertThat(ClientToken.configFolder(Map.of(), "Mac OS X", home))
                .isEqualTo(Path.of("/home/ana/Library/Application Support/panel-one"));
    }
}
