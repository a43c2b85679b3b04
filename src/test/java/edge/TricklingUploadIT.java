package edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import support.PanelHarness;
import support.UploadFolders;

/**
 * A client trickling its upload is cut off and its temp folder deleted: one that goes silent for longer than the idle
 * timeout, and one that keeps sending, but too slowly. Short limits here; in production 20 s and 32 KiB/s.
 */
class TricklingUploadIT {
    private static final String BOUNDARY = "trickle-boundary";

    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = harness.start(Map.of("panel.limits.upload-idle-timeout", "2s", "panel.limits.min-upload-rate", "1KB"),
                "api");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aClientSilentLongerThanTheIdleTimeoutIsCutOff() throws Exception {
        // One byte every 5 s: never fast, and silent for longer than the 2 s idle timeout.
        Trickle trickle = trickle(Duration.ofSeconds(5));
        // Tomcat closes a connection whose read timed out, so the 408 may not reach the client, or reach it without
        // its body when Tomcat's own read timeout fires beside ours (seen on loaded cores): closed is enough.
        assertThat(trickle.answer()).satisfiesAnyOf(answer -> assertThat(answer).isEmpty(),
                answer -> assertThat(answer).startsWith("HTTP/1.1 408").contains("nothing arrived for 2 s"),
                answer -> assertThat(answer).startsWith("HTTP/1.1 408").contains("Content-Length: 0"));
        assertThat(trickle.elapsed()).isLessThan(Duration.ofSeconds(15));
        trickle.assertFoldersGone();
    }

    @Test
    void aClientSendingTooSlowlyIsCutOff() throws Exception {
        // A byte every 300 ms is never silent for 2 s, but far below 1 KiB/s.
        Trickle trickle = trickle(Duration.ofMillis(300));
        assertThat(trickle.answer()).startsWith("HTTP/1.1 408").contains("The upload was too slow");
        assertThat(trickle.elapsed()).isLessThan(Duration.ofSeconds(15));
        trickle.assertFoldersGone();
    }

    record Trickle(String answer, Duration elapsed, Set<Path> folders) {
        void assertFoldersGone() {
            assertThat(folders).as("the upload's temp folder was created").isNotEmpty();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(folders).noneMatch(Files::exists));
            assertThat(harness.objects("inputs/")).isEmpty();
        }
    }

    /** Sends the head and the first part's headers, then one byte of photo every {@code every}, until answered. */
    private static Trickle trickle(Duration every) throws Exception {
        Set<Path> before = UploadFolders.all();
        URI base = URI.create(PanelHarness.baseUrl(api));
        long start = System.nanoTime();
        Set<Path> seen = new HashSet<>();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            String part = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"slow.jpg\"\r\n"
                    + "Content-Type: image/jpeg\r\n\r\n";
            out.write(("POST /generate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                    + "Content-Length: 100000\r\n\r\n" + part).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    while (true) {
                        Thread.sleep(every.toMillis());
                        out.write(0xff);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // Cut off, or the test is over.
                }
            });
            writer.setDaemon(true);
            writer.start();
            // The folder appears once the route starts reading; note it before the cut-off deletes it.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> seen.addAll(UploadFolders.newSince(before)) || !seen.isEmpty());
            String answer = UploadFolders.readAnswer(socket.getInputStream());
            writer.interrupt();
            seen.addAll(UploadFolders.newSince(before));
            return new Trickle(answer, Duration.ofNanos(System.nanoTime() - start), seen);
        }
    }
}
