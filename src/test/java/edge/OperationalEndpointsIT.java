package edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import support.PanelHarness;
import support.TestRedis;

/** Readiness, Prometheus and info live on MANAGEMENT_PORT only; the public $PORT answers 404 for all of /actuator. */
class OperationalEndpointsIT {
    private static final List<String> ACTUATOR = List.of("/actuator", "/actuator/health", "/actuator/health/readiness",
            "/actuator/health/liveness", "/actuator/prometheus", "/actuator/info", "/actuator/env", "/actuator/;x",
            "/actuator/health;x/readiness", "/%61ctuator/prometheus");

    private static PanelHarness harness;
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        app = harness.start(Map.of(), "api", "worker");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void thePublicPortAnswers404ForEveryActuatorPath() throws Exception {
        assertThat(harness.get(app, "/health").statusCode()).isEqualTo(200);
        for (String path : ACTUATOR) {
            HttpResponse<String> response = harness.get(app, path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).isEqualTo("{\"detail\":\"Not found\"}");
        }
    }

    @Test
    void theManagementPortServesReadinessPrometheusAndInfo() throws Exception {
        assertThat(PanelHarness.managementUrl(app)).isNotEqualTo(PanelHarness.baseUrl(app));
        // Readiness includes the start-up model check, which may still be running on loaded cores: awaited.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> readiness = harness.management(app, "/actuator/health/readiness");
            assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
            assertThat(readiness.body()).contains("\"status\":\"UP\"");
        });
        HttpResponse<String> prometheus = harness.management(app, "/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("panel_queue_depth");
        assertThat(harness.management(app, "/actuator/info").statusCode()).isEqualTo(200);
        assertThat(harness.management(app, "/actuator/health/liveness").statusCode()).isEqualTo(200);
        // The public API is not on the management port either.
        assertThat(harness.management(app, "/jobs").statusCode()).isEqualTo(404);
    }

    @Test
    void aManagementPortEqualToThePublicPortIsRefusedAtStartUp() {
        String port = Integer.toString(TestRedis.freePort());
        assertThatThrownBy(() -> harness.start(Map.of("server.port", port, "panel.management-port", port), "api"))
                .rootCause().hasMessageContaining("MANAGEMENT_PORT must differ from PORT");
    }
}
