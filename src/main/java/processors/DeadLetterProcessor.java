package processors;

import config.PanelOneProperties;
import jobs.JobDelivery;
import jobs.JobHeaders;
import jobs.JobStatus;
import jobs.JobStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * A job delivered more than {@code max-deliveries} times kept stopping its workers (a crash, an out-of-memory kill):
 * it is not tried again but recorded as a dead letter and prepared to end FAILED with that reason.
 */
@Component
@Profile("worker")
public class DeadLetterProcessor implements Processor {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessor.class);

    private final StartJobProcessor startJob;
    private final JobStore jobs;
    private final int maxDeliveries;

    public DeadLetterProcessor(StartJobProcessor startJob, JobStore jobs, PanelOneProperties properties) {
        this.startJob = startJob;
        this.jobs = jobs;
        this.maxDeliveries = properties.worker().maxDeliveries();
    }

    @Override
    public void process(Exchange exchange) {
        JobDelivery delivery = exchange.getMessage().getBody(JobDelivery.class);
        startJob.process(exchange);
        jobs.recordDeadLetter(delivery.jobId());
        String reason = "The job was abandoned: its worker stopped without finishing it " + maxDeliveries
                + " times in a row";
        log.error("Dead letter after {} deliveries: {}", maxDeliveries, reason);
        exchange.setProperty(JobHeaders.FAILURE_REASON, reason);
        exchange.getMessage().setHeader(JobHeaders.STATUS, JobStatus.FAILED.name());
    }
}
