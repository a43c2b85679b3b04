package cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few-route HTTP server standing in for the API in the client's own tests: it records every request
 * and answers /generate, /job/{id} (QUEUED, then a final state) and the panel download. It has no
 * WebSocket endpoint, so the client always falls back to polling.
 */
final class StandInApi implements AutoCloseable {

    static final String JOB_ID = "5b0c7e4e-2f5c-4c44-9a3e-0c0ffee00001";

    /** One request as received: method, path, Content-Type, raw body (ISO-8859-1, byte for byte), Authorization. */
    record Request(String method, String path, String contentType, String body, String authorization) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final AtomicInteger polls = new AtomicInteger();
    private volatile int generateStatus = 202;
    private volatile String generateBody = "{\"job_id\":\"" + JOB_ID + "\",\"status\":\"QUEUED\"}";
    private volatile String finalJob;
    private volatile byte[] panel = new byte[0];

    StandInApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
        completes("A cat finds a map.", new byte[0]);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String panelUrl() {
        return url() + "/outputs/" + JOB_ID + "/panel.png";
    }

    StandInApi completes(String story, byte[] panelBytes) {
        this.panel = panelBytes;
        this.finalJob = "{\"job_id\":\"" + JOB_ID + "\",\"status\":\"COMPLETED\",\"error_message\":null,"
                + "\"result\":{\"image_url\":\"" + panelUrl() + "\",\"story\":\"" + story + "\"},"
                + "\"created_at\":\"2026-11-22T10:00:00Z\",\"updated_at\":\"2026-11-22T10:00:41Z\"}";
        return this;
    }

    StandInApi fails(String reason) {
        this.finalJob = "{\"job_id\":\"" + JOB_ID + "\",\"status\":\"FAILED\",\"error_message\":\"" + reason + "\",\"result\":null}";
        return this;
    }

    StandInApi rejects(int status, String detail) {
        this.generateStatus = status;
        this.generateBody = "{\"detail\":\"" + detail + "\"}";
        return this;
    }

    List<Request> requestsTo(String pathPrefix) {
        return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
        requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Content-Type"), body,
                exchange.getRequestHeaders().getFirst("Authorization")));
        if (path.equals("/generate") && exchange.getRequestMethod().equals("POST")) {
            respond(exchange, generateStatus, "application/json", generateBody.getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/job/" + JOB_ID)) {
            String job = polls.getAndIncrement() == 0
                    ? "{\"job_id\":\"" + JOB_ID + "\",\"status\":\"QUEUED\",\"error_message\":null,\"result\":null}"
                    : finalJob;
            respond(exchange, 200, "application/json", job.getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/outputs/" + JOB_ID + "/panel.png")) {
            respond(exchange, 200, "image/png", panel);
        } else {
            respond(exchange, 404, "application/json", "{\"detail\":\"Not found\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
