package edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import support.PanelHarness;
import support.Photos;

/**
 * The API speaks HTTP/2 cleartext (h2c, prior knowledge), as Cloud Run sends it with --use-http2, which is what lets
 * a request over Cloud Run's 32 MiB HTTP/1 cap through: uploads work over it, and bodies elsewhere are still refused.
 * Uses curl (with nghttp2) as the HTTP/2 client; skipped where there is none.
 */
class Http2CleartextIT {
    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(curlSpeaksHttp2(), "curl with HTTP/2 support is not installed");
        harness = new PanelHarness();
        api = harness.start(Map.of(), "api");
        base = PanelHarness.baseUrl(api);
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void answersOverHttp2WithPriorKnowledge() throws Exception {
        assertThat(curl("--http2-prior-knowledge", base + "/health")).startsWith("2 200").endsWith("{\"status\":\"ok\"}");
    }

    @Test
    void anUploadGoesThroughOverHttp2() throws Exception {
        Path photo = harness.root.resolve("h2.jpg");
        Files.write(photo, Photos.jpeg(320, 240, Color.ORANGE));
        // 64 KiB after the end marker (as motion photos carry): far over the 4 KiB Tomcat would buffer for an upgrade.
        Files.write(photo, new byte[64 * 1024], java.nio.file.StandardOpenOption.APPEND);
        String answer = curl("--http2-prior-knowledge", "-H", "Authorization: Bearer " + PanelHarness.TOKEN,
                "-F", "files=@" + photo + ";type=image/jpeg", base + "/generate");
        assertThat(answer).startsWith("2 202").contains("\"status\":\"QUEUED\"");
        // An HTTP/1.1 client offering the h2c upgrade (Java's HttpClient does) is served over HTTP/1.1, upload and all.
        assertThat(curl("--http2", "-H", "Authorization: Bearer " + PanelHarness.TOKEN,
                "-F", "files=@" + photo + ";type=image/jpeg", base + "/generate")).startsWith("1.1 202");
    }

    /**
     * Refused unread. Tomcat then resets the stream whose body nobody read, and on HTTP/2 that reset can overtake
     * the 413 (curl reports error 92): either is a refusal; what must never happen is an answer from the route.
     */
    @Test
    void aBodyElsewhereIsStillRefusedOverHttp2() throws Exception {
        Path body = harness.root.resolve("body.bin");
        Files.write(body, new byte[8 * 1024 * 1024]);
        assertRefused(curl("--http2-prior-knowledge", "-X", "GET", "-H", "Content-Type: application/octet-stream",
                "--data-binary", "@" + body, base + "/health"));
        // No declared length: HTTP/2 needs none, the open stream gives the body away.
        assertRefused(curl("--http2-prior-knowledge", "-X", "GET", "-H", "Transfer-Encoding:", "-H", "Content-Length:",
                "-T", body.toString(), base + "/jobs"));
        assertThat(curl("--http2-prior-knowledge", base + "/health")).startsWith("2 200");
    }

    private static void assertRefused(String answer) {
        assertThat(answer).satisfiesAnyOf(a -> assertThat(a).startsWith("2 413"),
                a -> assertThat(a).contains("curl: (92)"));
    }

    /** "HTTP-VERSION STATUS BODY" of one curl call. */
    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "-o", "-",
                "-w", "\n%{http_version} %{http_code}"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        int split = out.lastIndexOf('\n');
        return out.substring(split + 1) + " " + out.substring(0, Math.max(0, split));
    }

    private static boolean curlSpeaksHttp2() {
        try {
            Process process = new ProcessBuilder("curl", "-V").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor(10, TimeUnit.SECONDS) && version.contains("HTTP2");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
