package config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import support.PanelHarness;

/** Settings are checked when a service starts, and a bad one stops it with a message naming the variable. */
@ExtendWith(OutputCaptureExtension.class)
class StartupChecksIT {
    private static PanelHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aRedisUrlThatIsNeitherRedisNorRedissIsRefused() {
        assertThatThrownBy(() -> harness.start(Map.of("panel.redis-url", "http://127.0.0.1:6379"), "api"))
                .hasMessageContaining("REDIS_URL must start with redis:// or rediss://");
    }

    @Test
    void aCredentialsFileThatDoesNotExistIsRefused() {
        assertThatThrownBy(() -> harness.start(Map.of("panel.credentials-file", "/nonexistent/key.json"), "api"))
                .rootCause().hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS points to a file that does not exist");
    }

    @Test
    void theWorkerRefusesToStartWithoutAGeminiKey() {
        assertThatThrownBy(() -> harness.start(Map.of("panel.gemini.api-key", ""), "worker"))
                .rootCause().hasMessageContaining("GEMINI_API_KEY is not set");
    }

    @Test
    void aModelIdThatIsNotABareGeminiIdIsRefusedNamingTheVariable() {
        assertThat(startupFailure(Map.of("panel.gemini.story-model", "models/gemini-3.1-pro-preview")))
                .contains("must be a Gemini model id").contains("GEMINI_STORY_MODEL");
        assertThat(startupFailure(Map.of("panel.gemini.image-model", " "))).contains("imageModel");
    }

    /** Every message in the chain of causes of a worker's failed start. */
    private static String startupFailure(Map<String, String> settings) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> harness.start(settings, "worker"));
        assertThat(failure).isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void theApiDoesNotNeedAGeminiKey() {
        harness.stop(harness.start(Map.of("panel.gemini.api-key", ""), "api"));
    }

    @Test
    void aMalformedApiKeyIsRefusedWithoutPrintingAnyKey(CapturedOutput output) {
        String good = "good-key-0123456789abcdef";
        String bad = "short key";
        assertThatThrownBy(() -> harness.start(Map.of("panel.access.api-keys", good + "," + bad), "api"))
                .rootCause().hasMessageContaining("PANEL_API_KEYS: every key must be 16 to 128 characters");
        assertThat(output.getAll()).doesNotContain(good).doesNotContain(bad);
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertThatThrownBy(() -> harness.start(Map.of("panel.access.client-jobs-per-hour", "0"), "api"))
                .rootCause().hasMessageContaining("clientJobsPerHour");
        assertThatThrownBy(() -> harness.start(Map.of("panel.access.daily-job-budget", "-1"), "api"))
                .rootCause().hasMessageContaining("dailyJobBudget");
    }
}
