package worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import emulator.Fault;
import emulator.GeminiEmulator;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import support.PanelHarness;
import support.Photos;
import support.WorkerProcess;

/**
 * A worker holds no more photo bytes on disk than {@code max-photo-bytes}, whatever its free job slots: with room
 * for one job's photos, a second job waits to download until the first one's photos have gone to Gemini.
 */
class PhotoBudgetIT {
    private static PanelHarness harness;
    private static ConfigurableApplicationContext api;

    @BeforeAll
    static void start() throws Exception {
        harness = new PanelHarness();
        api = harness.startApi();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static String submit() throws Exception {
        HttpResponse<String> response = harness.post(api, Photos.twoPhotos());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return PanelHarness.json(response.body()).path("job_id").asText();
    }

    @Test
    void aSecondJobWaitsForRoomBeforeDownloadingItsPhotos() throws Exception {
        // The first photo upload to Gemini hangs for a while: the first job holds its photos on disk meanwhile.
        harness.gemini.enqueue(GeminiEmulator.FILES, Fault.hang(Duration.ofSeconds(8)));
        try (WorkerProcess worker = WorkerProcess.start(harness, "budget-worker", Map.of(),
                "--panel.worker.max-photo-bytes=1KB")) {
            worker.awaitReady(Duration.ofSeconds(90));
            String first = submit();
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(harness.workDir().resolve(first)));
            String second = submit();
            harness.awaitStatus(api, second, "PROCESSING_IMAGES", Duration.ofSeconds(10));

            // Two free slots, but no room: the second job downloads nothing while the first holds its photos.
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                    .until(() -> !Files.exists(harness.workDir().resolve(second))
                            && Files.exists(harness.workDir().resolve(first)));

            harness.awaitStatus(api, first, "COMPLETED", Duration.ofSeconds(30));
            harness.awaitStatus(api, second, "COMPLETED", Duration.ofSeconds(30));
        }
    }
}
