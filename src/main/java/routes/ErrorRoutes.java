package routes;

import jobs.JobHeaders;
import jobs.JobStatus;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import processors.CleanupInputsProcessor;
import processors.DeadLetterProcessor;
import processors.DescribeFailureProcessor;
import redisstream.RedisStreamConstants;
import jobs.JobContext;

/** How jobs end badly: a failure with its reason, a delivery that lost the job, a job given up after N deliveries. */
@Component
@Profile("worker")
public class ErrorRoutes extends RouteBuilder {
    public static final String JOB_FAILED = "direct:job-failed";
    public static final String JOB_TAKEN_OVER = "direct:job-taken-over";
    public static final String DEAD_LETTER = "direct:dead-letter";

    private final DescribeFailureProcessor describeFailure;
    private final DeadLetterProcessor deadLetter;
    private final CleanupInputsProcessor cleanupInputs;

    public ErrorRoutes(DescribeFailureProcessor describeFailure, DeadLetterProcessor deadLetter,
            CleanupInputsProcessor cleanupInputs) {
        this.describeFailure = describeFailure;
        this.deadLetter = deadLetter;
        this.cleanupInputs = cleanupInputs;
    }

    @Override
    public void configure() {
        from(JOB_FAILED)
                .routeId("job-failed")
                .process(describeFailure).id("describe-failure")
                .setHeader(JobHeaders.STATUS, constant(JobStatus.FAILED.name()))
                .to(StatusRoutes.PUBLISH_STATUS);

        from(JOB_TAKEN_OVER)
                .routeId("job-taken-over")
                .log("Job was taken over by a newer delivery or has already ended; this delivery stops here")
                .process(exchange -> exchange.getProperty(JobHeaders.JOB, JobContext.class).takenOver())
                // Acknowledging would drop the newer delivery's safety net: the entry stays pending for it.
                .setProperty(RedisStreamConstants.KEEP_PENDING, constant(true));

        from(DEAD_LETTER)
                .routeId("dead-letter")
                .process(deadLetter).id("record-dead-letter")
                .choice()
                    .when(JobContext::isOwned)
                        .to(StatusRoutes.PUBLISH_STATUS)
                    .when(JobContext::isTakenOver)
                        .to(JOB_TAKEN_OVER)
                .end()
                .process(cleanupInputs).id("cleanup-dead-letter")
                .enrich(InputCleanupRoutes.DELETE_INPUTS, AggregationStrategies.useOriginal());
    }
}
