package web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import support.PanelHarness;

/** /error is Spring's error page: asked for directly it is just a path the API does not serve. */
class JsonErrorControllerIT {
    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = harness.startApi();
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void aDirectRequestForTheErrorPathIsNotFoundLikeAnyUnknownPath() throws Exception {
        for (String path : new String[] {"/error", "/error/", "/no-such-page"}) {
            HttpResponse<String> response = harness.get(api, path);

            assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(PanelHarness.json(response.body()).path("detail").asText()).isEqualTo("Not found");
        }
    }
}
