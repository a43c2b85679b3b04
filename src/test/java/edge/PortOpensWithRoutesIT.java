package edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import support.ApiProcess;
import support.PanelHarness;

/**
 * The API's port opens only once its routes answer. Cloud Run's default startup probe is a TCP connect, and the
 * request that woke a scaled-to-zero instance follows it at once: from the first connect that succeeds, each request
 * must get its route's own answer, never the 404 every unknown path gets.
 */
class PortOpensWithRoutesIT {
    /** A client's handle (open mode): GET /jobs answers its history, an empty one here. */
    private static final String CLIENT = "cold-start-client-0001";
    private static final String UNKNOWN_JOB = "/job/0b4f4c52-0a4e-4bd1-9d38-7c3a8f1e5a11";
    /** How long requests keep coming after the first connect: longer than the gap seen on loaded cores before. */
    private static final Duration BURST = Duration.ofSeconds(3);

    @Test
    void fromTheFirstConnectEveryRequestIsAnsweredByItsRoute() throws Exception {
        try (PanelHarness harness = new PanelHarness();
                ApiProcess api = ApiProcess.start(harness, "api-cold-start", Map.of())) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5)).until(() -> accepts(api));

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<String> answers = new ArrayList<>();
            List<String> wrong = new ArrayList<>();
            long end = System.nanoTime() + BURST.toNanos();
            for (int i = 0; i < 30 || System.nanoTime() < end; i++) {
                String path = switch (i % 3) {
                    case 0 -> "/jobs";
                    case 1 -> UNKNOWN_JOB;
                    default -> "/health";
                };
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                        .header("Authorization", "Bearer " + CLIENT).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                String answer = path + " -> " + response.statusCode() + " " + response.body();
                answers.add(answer);
                if (!routeAnswered(path, response)) {
                    wrong.add("#" + i + " " + answer);
                }
            }
            assertThat(answers).hasSizeGreaterThanOrEqualTo(30);
            assertThat(wrong).as("answers not given by the route, from the first connect on").isEmpty();
        }
    }

    private static boolean accepts(ApiProcess api) {
        if (!api.isAlive()) {
            throw new IllegalStateException("API exited:\n" + api.output());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", api.port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** Each route's own answer; Spring's fallback for a path without a route is {@code 404 {"detail":"Not found"}}. */
    private static boolean routeAnswered(String path, HttpResponse<String> response) {
        return switch (path) {
            case "/jobs" -> response.statusCode() == 200 && !response.body().contains("Not found");
            case UNKNOWN_JOB -> response.statusCode() == 404 && response.body().contains("Job not found");
            default -> response.statusCode() == 200 && response.body().contains("\"ok\"");
        };
    }
}
