package routes;

import static org.assertj.core.api.Assertions.assertThat;

import config.PanelOneProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import jobs.JobDelivery;
import jobs.JobHeaders;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import processors.CleanupInputsProcessor;
import processors.DeadLetterProcessor;
import processors.DeleteGeminiFilesProcessor;
import processors.DescribeFailureProcessor;
import processors.DownloadInputsProcessor;
import processors.DropLocalPhotosProcessor;
import processors.GeminiImageProcessor;
import processors.GeminiStoryProcessor;
import processors.ReadDeliveryProcessor;
import processors.StartJobProcessor;
import processors.StoreOutputsProcessor;
import processors.UploadPhotosProcessor;
import redisstream.RedisStreamConstants;
import jobs.JobContext;
import jobs.JobFailure;
import jobs.JobTakenOverException;
import worker.ModelAvailability;

/**
 * The worker's routes alone, in milliseconds: no Redis, no SDK, no emulator. The steps that talk to the outside
 * world are inert stand-ins (or woven to fail), the queue endpoint is replaced by {@code direct:queue}, and the
 * status, clean-up and republish routes are mock endpoints; what is tested is the routing between them.
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = {WorkerRoutes.class, ErrorRoutes.class, DescribeFailureProcessor.class,
        WorkerRoutesTest.StandIns.class}, properties = {"panel.project-id=p", "panel.bucket=b",
        "panel.redis-url=redis://localhost:1", "panel.api-url=http://localhost", "camel.main.name=worker-routes-test"})
@ImportAutoConfiguration(CamelAutoConfiguration.class)
@EnableConfigurationProperties(PanelOneProperties.class)
@ActiveProfiles("worker")
class WorkerRoutesTest {
    private static final String QUEUE = "direct:queue";
    private static final String FAIL_AT = "failAt";

    @MockitoBean ModelAvailability models;
    @MockitoBean ReadDeliveryProcessor readDelivery;
    @MockitoBean StartJobProcessor startJob;
    @MockitoBean DownloadInputsProcessor downloadInputs;
    @MockitoBean UploadPhotosProcessor uploadPhotos;
    @MockitoBean DropLocalPhotosProcessor dropLocalPhotos;
    @MockitoBean GeminiStoryProcessor geminiStory;
    @MockitoBean GeminiImageProcessor geminiImage;
    @MockitoBean StoreOutputsProcessor storeOutputs;
    @MockitoBean CleanupInputsProcessor cleanupInputs;
    @MockitoBean DeleteGeminiFilesProcessor deleteGeminiFiles;
    @MockitoBean DeadLetterProcessor deadLetter;
    @MockitoBean processors.CheckInputsProcessor checkInputs;
    @MockitoBean processors.RegisterPhotosProcessor registerPhotos;

    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;

    /** Consumers for the routes outside this test: each a mock endpoint that records what reached it. */
    @TestConfiguration
    static class StandIns {
        @Bean
        RouteBuilder standInRoutes() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from(StatusRoutes.PUBLISH_STATUS).routeId("stand-in-publish-status").to("mock:status");
                    from(StatusRoutes.REPUBLISH_STATUS).routeId("stand-in-republish").to("mock:republish");
                    from(InputCleanupRoutes.DELETE_INPUTS).routeId("stand-in-delete-inputs").to("mock:delete-inputs");
                }
            };
        }
    }

    @BeforeEach
    void adviseOnce() throws Exception {
        MockEndpoint.resetMocks(camel);
        if (camel.isStarted()) {
            return;
        }
        AdviceWith.adviceWith(camel, "worker-queue", route -> {
            route.replaceFromWith(QUEUE);
            route.weaveById("to-dead-letter").replace().to("mock:dead-letter");
            route.weaveById("process-job").replace().to("mock:process-job");
        });
        AdviceWith.adviceWith(camel, "worker-job", route -> {
            // The job is claimed by this delivery (claim-job.lua's "owned"), or as the header says.
            route.weaveById("start-job").replace().process(WorkerRoutesTest::claim);
            for (String step : List.of("download-inputs", "upload-photos", "gemini-story", "gemini-image",
                    "store-outputs")) {
                route.weaveById(step).replace().process(exchange -> failIfAsked(exchange, step));
            }
            route.weaveById("delete-gemini-files").after().to("mock:delete-gemini-files");
            route.weaveById("cleanup-inputs").after().to("mock:cleanup");
        });
        camel.start();
    }

    private static void claim(Exchange exchange) {
        JobContext job = new JobContext(new JobDelivery("1-0", "job-1", List.of(), 1), Instant.now(),
                Duration.ofMinutes(10));
        switch (exchange.getMessage().getHeader("claim", "owned", String.class)) {
            case "owned" -> job.owned(true);
            case "ended" -> job.foundEnded();
            case "superseded" -> job.takenOver();
            default -> throw new IllegalArgumentException();
        }
        exchange.setProperty(JobHeaders.JOB, job);
    }

    private static void failIfAsked(Exchange exchange, String step) {
        if (!step.equals(exchange.getMessage().getHeader(FAIL_AT))) {
            return;
        }
        switch (exchange.getMessage().getHeader("with", "failure", String.class)) {
            case "taken-over" -> throw new JobTakenOverException("job-1");
            case "redis-down" -> throw new QueryTimeoutException("Redis command timed out");
            default -> throw new JobFailure("The " + step + " step failed");
        }
    }

    private Exchange run(Map<String, Object> headers) {
        return producer.send(WorkerRoutes.PROCESS_JOB, exchange -> exchange.getMessage().setHeaders(headers));
    }

    private List<String> statuses() {
        return camel.getEndpoint("mock:status", MockEndpoint.class).getExchanges().stream()
                .map(exchange -> exchange.getMessage().getHeader(JobHeaders.STATUS, String.class)).toList();
    }

    private MockEndpoint mock(String name) {
        return camel.getEndpoint("mock:" + name, MockEndpoint.class);
    }

    @Test
    void aJobWalksEveryStatusInOrderThenCleansUp() throws Exception {
        mock("cleanup").expectedMessageCount(1);
        mock("delete-gemini-files").expectedMessageCount(1);

        Exchange done = run(Map.of());

        assertThat(done.getException()).isNull();
        assertThat(statuses()).containsExactly("PROCESSING_IMAGES", "GENERATING_STORY", "GENERATING_IMAGE",
                "UPLOADING", "COMPLETED");
        assertThat(done.getProperty(RedisStreamConstants.KEEP_PENDING)).isNull();
        MockEndpoint.assertIsSatisfied(camel);
    }

    @ParameterizedTest
    @ValueSource(strings = {"download-inputs", "upload-photos", "gemini-story", "gemini-image", "store-outputs"})
    void aFailingStepEndsTheJobFailedWithItsReasonAndStillCleansUp(String step) throws Exception {
        mock("cleanup").expectedMessageCount(1);
        mock("delete-gemini-files").expectedMessageCount(1);

        Exchange done = run(Map.of(FAIL_AT, step));

        assertThat(done.getException()).isNull();
        assertThat(statuses()).last().isEqualTo("FAILED");
        assertThat(statuses()).doesNotContain("COMPLETED");
        Exchange failed = mock("status").getExchanges().get(statuses().size() - 1);
        assertThat(failed.getProperty(JobHeaders.FAILURE_REASON, String.class)).isEqualTo("The " + step + " step failed");
        MockEndpoint.assertIsSatisfied(camel);
    }

    @Test
    void aJobTakenOverMidwayStopsWithoutFailingAndLeavesItsEntryPending() throws Exception {
        mock("cleanup").expectedMessageCount(1);

        Exchange done = run(Map.of(FAIL_AT, "gemini-story", "with", "taken-over"));

        assertThat(done.getException()).isNull();
        assertThat(statuses()).containsExactly("PROCESSING_IMAGES", "GENERATING_STORY");
        assertThat(done.getProperty(RedisStreamConstants.KEEP_PENDING, Boolean.class)).isTrue();
        // Cleaned up locally, but the inputs stay in storage for the delivery that owns the job now.
        assertThat(done.getProperty(JobHeaders.JOB, JobContext.class).mayCleanUp()).isFalse();
        MockEndpoint.assertIsSatisfied(camel);
    }

    @Test
    void redisGoingAwayMidJobFailsTheExchangeSoTheEntryStaysPending() throws Exception {
        mock("cleanup").expectedMessageCount(1);

        Exchange done = run(Map.of(FAIL_AT, "gemini-image", "with", "redis-down"));

        assertThat(done.getException()).isInstanceOf(QueryTimeoutException.class);
        assertThat(statuses()).doesNotContain("FAILED", "COMPLETED");
        MockEndpoint.assertIsSatisfied(camel);
    }

    @Test
    void aDeliveryOfAnEndedJobRepublishesItsEndStateAndCleansUp() throws Exception {
        mock("republish").expectedMessageCount(1);
        mock("delete-inputs").expectedMessageCount(1);

        run(Map.of("claim", "ended"));

        assertThat(statuses()).isEmpty();
        MockEndpoint.assertIsSatisfied(camel);
    }

    @Test
    void aDeliveryOlderThanTheJobsOwnerTouchesNothingAndLeavesItsEntryPending() throws Exception {
        mock("republish").expectedMessageCount(0);
        mock("delete-inputs").expectedMessageCount(0);

        Exchange done = run(Map.of("claim", "superseded"));

        assertThat(statuses()).isEmpty();
        assertThat(done.getProperty(RedisStreamConstants.KEEP_PENDING, Boolean.class)).isTrue();
        MockEndpoint.assertIsSatisfied(camel);
    }

    @Test
    void theDeadLetterChoiceComparesTheDeliveryCountWithMaxDeliveries() throws Exception {
        mock("process-job").expectedMessageCount(3);
        mock("dead-letter").expectedMessageCount(1);
        NotifyBuilder fourDone = new NotifyBuilder(camel).fromRoute("worker-queue").whenDone(4).create();

        for (long count = 1; count <= 4; count++) {
            producer.sendBodyAndHeader(QUEUE, Map.of("job_id", "job-1"), RedisStreamConstants.DELIVERY_COUNT, count);
        }

        assertThat(fourDone.matches(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // max-deliveries is 3: the fourth counted delivery is dead-lettered.
        assertThat(mock("dead-letter").getExchanges().get(0).getMessage()
                .getHeader(RedisStreamConstants.DELIVERY_COUNT, Long.class)).isEqualTo(4);
        MockEndpoint.assertIsSatisfied(camel);
    }
}
