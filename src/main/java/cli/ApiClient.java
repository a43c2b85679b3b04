package cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Talks to the Panel One API: submits photos, follows a job over its WebSocket or by polling, downloads the panel. */
final class ApiClient {

    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** About half a minute of consecutive failed polls before the API counts as gone. */
    private static final int MAX_POLL_FAILURES = 30;
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final String CRLF = "\r\n";

    /** One file to send, with the type its bytes really are. */
    record Upload(Path file, String mimeType) {
    }

    private final String base;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /** {@code token}: sent as {@code Authorization: Bearer} to the API only, never to where the panel is stored. */
    ApiClient(URI apiUrl, String token) {
        this.token = token;
        String url = apiUrl.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        // Over https, HTTP/2 by ALPN (Cloud Run caps HTTP/1 bodies at 32 MiB). Over plain http (a laptop's API) the JDK
        // would offer an h2c upgrade with the upload as its body, which Tomcat refuses beyond 4 KiB: HTTP/1.1 there.
        HttpClient.Version version = url.startsWith("https:") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
        this.http = HttpClient.newBuilder().version(version).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    String baseUrl() {
        return base;
    }

    /** {@code POST /generate} with one {@code files} part per upload; the files are streamed, not buffered. */
    JobUpdate submit(List<Upload> uploads) throws IOException, InterruptedException, ApiException {
        String boundary = "panel-one-" + UUID.randomUUID();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/generate"))
                .timeout(UPLOAD_TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(multipart(boundary, uploads))
                .build();
        JobUpdate accepted = json.readValue(send(request), JobUpdate.class);
        if (accepted.jobId() == null || !JOB_ID.matcher(accepted.jobId()).matches()) {
            throw new IOException("the API answered without a usable job id");
        }
        return accepted;
    }

    /** {@code GET /job/{id}}. */
    JobUpdate job(String jobId) throws IOException, InterruptedException, ApiException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/job/" + jobId))
                .timeout(REQUEST_TIMEOUT).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token).GET().build();
        return json.readValue(send(request), JobUpdate.class);
    }

    /**
     * Reports every state of the job to {@code onUpdate} until it is COMPLETED or FAILED, live over the
     * WebSocket while it lasts, then by polling once a second; {@code onNotice} hears about the switch.
     */
    JobUpdate follow(String jobId, Instant deadline, Consumer<JobUpdate> onUpdate, Consumer<String> onNotice)
            throws IOException, InterruptedException, ApiException, TimeoutException {
        Frames frames = new Frames();
        URI live = URI.create(webSocketBase() + "/ws/" + jobId);
        WebSocket socket;
        try {
            socket = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
                    .buildAsync(live, frames)
                    .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            onNotice.accept("live updates unavailable (" + reason(e) + "); polling every second");
            return poll(jobId, deadline, onUpdate);
        }
        // Say which way the job is followed, so a slow or stalled run can be told apart from a missing socket.
        onNotice.accept("live updates over " + live);
        try {
            while (true) {
                Object event = frames.events.poll(millisUntil(deadline), TimeUnit.MILLISECONDS);
                if (event == null) {
                    throw new TimeoutException();
                }
                if (!(event instanceof String frame)) {
                    // Cloud Run and proxies cut long-lived sockets; polling picks up where the socket left off.
                    onNotice.accept("live connection lost (" + reason(event) + "); polling every second");
                    return poll(jobId, deadline, onUpdate);
                }
                JsonNode node = json.readTree(frame);
                if (!node.hasNonNull("status")) {
                    throw new ApiException(404, node.path("detail").asText("unexpected message from the API"));
                }
                JobUpdate update = json.treeToValue(node, JobUpdate.class);
                onUpdate.accept(update);
                if (update.isFinal()) {
                    return update;
                }
            }
        } finally {
            socket.abort();
        }
    }

    /** Downloads the panel next to a temporary name first, so an interrupted download leaves no half file. */
    Path download(String url, Path target) throws IOException, InterruptedException, ApiException {
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/").resolve(url)).timeout(UPLOAD_TIMEOUT).GET().build();
        HttpResponse<Path> response = http.send(request, BodyHandlers.ofFile(partial));
        if (response.statusCode() != 200) {
            Files.deleteIfExists(partial);
            throw new ApiException(response.statusCode(), "could not download the panel from " + url);
        }
        return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private JobUpdate poll(String jobId, Instant deadline, Consumer<JobUpdate> onUpdate)
            throws IOException, InterruptedException, ApiException, TimeoutException {
        int failures = 0;
        while (true) {
            try {
                JobUpdate update = job(jobId);
                failures = 0;
                onUpdate.accept(update);
                if (update.isFinal()) {
                    return update;
                }
            } catch (IOException e) {
                if (++failures >= MAX_POLL_FAILURES) {
                    throw e;
                }
            } catch (ApiException e) {
                if (!e.isServerError() || ++failures >= MAX_POLL_FAILURES) {
                    throw e;
                }
            }
            if (millisUntil(deadline) < POLL_INTERVAL.toMillis()) {
                throw new TimeoutException();
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }

    private String send(HttpRequest request) throws IOException, InterruptedException, ApiException {
        HttpResponse<String> response = http.send(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() >= 400) {
            throw new ApiException(response.statusCode(), detail(response.body()));
        }
        return response.body();
    }

    /** The API's {@code {"detail": …}}, or the start of whatever a proxy in between sent instead. */
    private String detail(String body) {
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.hasNonNull("detail")) {
                return node.get("detail").asText();
            }
        } catch (IOException notJson) {
            // Fall through to the raw body.
        }
        String text = body == null ? "" : body.strip();
        return text.isEmpty() ? "no details given" : text.substring(0, Math.min(200, text.length()));
    }

    private static BodyPublisher multipart(String boundary, List<Upload> uploads) throws FileNotFoundException {
        List<BodyPublisher> parts = new ArrayList<>();
        for (Upload upload : uploads) {
            String head = "--" + boundary + CRLF
                    + "Content-Disposition: form-data; name=\"files\"; filename=\""
                    + quoted(upload.file().getFileName().toString()) + "\"" + CRLF
                    + "Content-Type: " + upload.mimeType() + CRLF + CRLF;
            parts.add(BodyPublishers.ofString(head, StandardCharsets.UTF_8));
            parts.add(BodyPublishers.ofFile(upload.file()));
            parts.add(BodyPublishers.ofString(CRLF));
        }
        parts.add(BodyPublishers.ofString("--" + boundary + "--" + CRLF));
        return BodyPublishers.concat(parts.toArray(BodyPublisher[]::new));
    }

    /** Escapes a file name the way browsers do in a multipart header. */
    private static String quoted(String name) {
        return name.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    private String webSocketBase() {
        return base.replaceFirst("^http", "ws");
    }

    private static long millisUntil(Instant deadline) {
        return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
    }

    private static String reason(Object failure) {
        if (failure instanceof Throwable error) {
            Throwable cause = error instanceof ExecutionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof WebSocketHandshakeException refused) {
                return "HTTP " + refused.getResponse().statusCode();
            }
            return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        }
        return "closed by the server";
    }

    /** Collects text frames (which may arrive in pieces) and the socket's end into a queue the caller reads. */
    private static final class Frames implements WebSocket.Listener {
        private static final Object CLOSED = new Object();

        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(text.toString());
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            events.add(CLOSED);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            events.add(error);
        }
    }
}
