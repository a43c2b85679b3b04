package edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.ApiProcess;
import support.PanelHarness;

/**
 * Bodies sent anywhere but POST /generate are refused unread, so they cannot fill the heap: eight concurrent 30 MiB
 * bodies against the API in its own JVM at its production heap (320 MiB), which then still answers.
 */
class RequestBodiesIT {
    private static final int MIB = 1024 * 1024;
    private static final int BODY = 30 * MIB;

    private static PanelHarness harness;
    private static ApiProcess api;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = ApiProcess.start(harness, "api-bodies", Map.of()).awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        harness.close();
    }

    /** One request: method, target, and how the body is framed. */
    record Attempt(String method, String target, boolean chunked, String contentType) {
        @Override
        public String toString() {
            return method + " " + target + (chunked ? " (chunked)" : "");
        }
    }

    @Test
    void bodiesOnOtherPathsAreRefusedUnreadAndTheApiStaysUp() throws Exception {
        assertThat(ApiProcess.productionJvmFlags()).contains("-Xmx320m", "-XX:+ExitOnOutOfMemoryError");
        List<Attempt> attempts = List.of(
                new Attempt("GET", "/health", false, "text/plain"),
                new Attempt("GET", "/health", true, "text/plain"),
                new Attempt("GET", "/jobs?limit=100", false, "application/json"),
                new Attempt("POST", "/health", false, "application/x-www-form-urlencoded"),
                new Attempt("POST", "/job/0b4f4c52-0a4e-4bd1-9d38-7c3a8f1e5a11", true, "text/plain"),
                new Attempt("PUT", "/generate", false, "application/x-www-form-urlencoded"),
                new Attempt("POST", "/nowhere", false, "text/plain"),
                new Attempt("POST", "/generate/", true, "text/plain"),
                // POST /generate once normalised: uploads, streamed, never read whole.
                new Attempt("POST", "/generate;x", false, "application/octet-stream"),
                new Attempt("POST", "/generate;jsessionid=1", true, "text/plain"),
                new Attempt("POST", "/%67enerate", false, "application/json"),
                new Attempt("POST", "/./generate;a=b", false, "text/plain"));
        ExecutorService pool = Executors.newFixedThreadPool(attempts.size());
        try {
            List<CompletableFuture<String>> sent = new ArrayList<>();
            for (Attempt attempt : attempts) {
                sent.add(CompletableFuture.supplyAsync(() -> send(attempt), pool));
            }
            List<String> answers = new ArrayList<>();
            for (CompletableFuture<String> answer : sent) {
                answers.add(answer.get(120, TimeUnit.SECONDS));
            }
            // First of all, the API is still there.
            assertThat(api.isAlive()).as(api.output()).isTrue();
            assertThat(api.health(harness.http)).isEqualTo(200);
            assertThat(api.output()).doesNotContain("OutOfMemoryError");
            for (int i = 0; i < attempts.size(); i++) {
                Attempt attempt = attempts.get(i);
                if (attempt.method().equals("POST") && attempt.target().matches("/(\\./)?(generate|%67enerate)(;.*)?")) {
                    // Streamed as an upload and refused as not multipart (415), or matched to no route (404).
                    assertThat(answers.get(i)).as(attempt.toString()).matches("(?s)HTTP/1\\.1 (415|404) .*");
                } else {
                    assertThat(answers.get(i)).as(attempt.toString()).startsWith("HTTP/1.1 413")
                            .contains("{\"detail\":\"This request must not have a body: only POST /generate accepts one\"}");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // Nothing was stored or queued by any of them.
        assertThat(harness.objects("inputs/")).isEmpty();
    }

    @Test
    void anEmptyBodyIsNoBody() throws Exception {
        String answer = sendRaw("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                null);
        assertThat(answer).startsWith("HTTP/1.1 200").contains("{\"status\":\"ok\"}");
    }

    private static String send(Attempt attempt) {
        StringBuilder head = new StringBuilder()
                .append(attempt.method()).append(' ').append(attempt.target()).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n")
                .append("Connection: close\r\n")
                .append("Content-Type: ").append(attempt.contentType()).append("\r\n");
        head.append(attempt.chunked() ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + BODY + "\r\n");
        head.append("\r\n");
        try {
            return sendRaw(head.toString(), attempt.chunked());
        } catch (IOException e) {
            return "I/O error: " + e;
        }
    }

    /**
     * Writes the head, then 30 MiB of body (chunked or not; none when {@code chunked} is null) on another thread, and reads the
     * answer: the server answers before the body ends, and may stop reading once it has answered.
     */
    private static String sendRaw(String head, Boolean chunked) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = null;
            if (chunked != null) {
                writer = new Thread(() -> writeBody(out, chunked));
                writer.setDaemon(true);
                writer.start();
            }
            String answer = readAnswer(socket.getInputStream());
            if (writer != null) {
                writer.interrupt();
            }
            return answer;
        }
    }

    private static void writeBody(OutputStream out, boolean chunked) {
        byte[] block = new byte[MIB];
        Arrays.fill(block, (byte) 'a');
        try {
            for (int sent = 0; sent < BODY; sent += block.length) {
                if (chunked) {
                    out.write((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(block);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException e) {
            // The server answered and closed the connection: the rest is not wanted.
        }
    }

    /** The status line, headers and body of one answer (up to the declared length or the end of the stream). */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        int contentLength = -1;
        int headEnd = -1;
        for (int b; (b = in.read()) >= 0; ) {
            answer.write(b);
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0 && text.endsWith("\r\n\r\n")) {
                headEnd = text.length();
                for (String line : text.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
                if (contentLength == 0) {
                    break;
                }
            }
            if (headEnd >= 0 && contentLength >= 0 && text.length() - headEnd >= contentLength) {
                break;
            }
        }
        return answer.toString(StandardCharsets.UTF_8);
    }
}
