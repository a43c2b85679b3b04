package edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import support.ApiProcess;
import support.Multipart;
import support.PanelHarness;
import support.Photos;
import support.UploadFolders;

/**
 * SIGTERM (a deploy or a scale-in on Cloud Run) stops the API taking connections at once, while an upload already in
 * flight still gets its 202: Tomcat's graceful shutdown comes before Camel stops the routes.
 */
class GracefulShutdownIT {

    @Test
    void anUploadInFlightAtSigtermIsStillAcceptedWhileNewConnectionsAreRefused() throws Exception {
        try (PanelHarness harness = new PanelHarness();
                ApiProcess api = ApiProcess.start(harness, "api-graceful", Map.of()).awaitReady(Duration.ofSeconds(120));
                Socket socket = new Socket("127.0.0.1", api.port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // The connection is Tomcat's before the signal: one request is answered on it first.
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readAnswer(in)).startsWith("HTTP/1.1 200");

            Multipart upload = Photos.twoPhotos();
            byte[] body = upload.body();
            int half = body.length / 2;
            Set<Path> folders = UploadFolders.all();
            out.write(("POST /generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + upload.contentType()
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, half);
            out.flush();
            // In flight means the API is reading it (its temp folder exists): bytes still in the socket when the
            // signal lands belong to no request yet, and graceful shutdown rightly closes their connection.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !UploadFolders.newSince(folders).isEmpty());

            api.sigterm();
            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !accepts(api.port));
            out.write(body, half, body.length - half);
            out.flush();

            String answer = readAnswer(in);
            assertThat(answer).as(api.output()).startsWith("HTTP/1.1 202");
            String jobId = PanelHarness.json(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("job_id").asText();
            assertThat(harness.objects("inputs/" + jobId + "/")).hasSize(2);
            assertThat(api.awaitExit(Duration.ofSeconds(10))).as("exited within Cloud Run's 10 s").isTrue();
        }
    }

    private static boolean accepts(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** One answer: status line, headers and a body framed by Content-Length or chunked. */
    private static String readAnswer(InputStream in) throws IOException {
        String head = readUntil(in, "\r\n\r\n");
        String lower = head.toLowerCase(Locale.ROOT);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (lower.contains("transfer-encoding: chunked")) {
            while (true) {
                int size = Integer.parseInt(readUntil(in, "\r\n").strip(), 16);
                if (size == 0) {
                    readUntil(in, "\r\n");
                    break;
                }
                body.write(in.readNBytes(size));
                readUntil(in, "\r\n");
            }
        } else {
            int at = lower.indexOf("content-length:");
            int length = at < 0 ? 0 : Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).strip());
            body.write(in.readNBytes(length));
        }
        return head + body.toString(StandardCharsets.UTF_8);
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + text);
            }
            text.append((char) b);
        }
        return text.toString();
    }
}
