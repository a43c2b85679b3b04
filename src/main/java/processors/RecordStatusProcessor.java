package processors;

import java.time.Clock;
import failures.SecretRedactor;
import jobs.JobHeaders;
import jobs.JobStatus;
import jobs.JobStore;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import metrics.JobMetrics;
import org.springframework.stereotype.Component;
import org.apache.camel.Processor;
import jobs.JobContext;
import jobs.JobFailure;
import jobs.JobTakenOverException;

/**
 * Writes the status named by the {@link JobHeaders#STATUS} header to the job record; the same script publishes the
 * event {@code {"version": n, "job": <GET /job shape>}} (one round trip, see {@link JobStore#transition}).
 */
@Component
public class RecordStatusProcessor implements Processor {
    private static final Logger log = LoggerFactory.getLogger(RecordStatusProcessor.class);

    private final JobStore jobs;
    private final Clock clock;
    private final JobMetrics metrics;

    public RecordStatusProcessor(JobStore jobs, Clock clock, JobMetrics metrics) {
        this.jobs = jobs;
        this.clock = clock;
        this.metrics = metrics;
    }

    private void recordTiming(JobContext job, JobStatus status) {
        java.time.Instant now = clock.instant();
        JobStatus previous = job.stage();
        java.time.Duration took = job.enterStage(status, now);
        if (previous != null && took != null) {
            metrics.stage(previous, took);
        }
        if (status.isTerminal()) {
            metrics.jobEnded(status, java.time.Duration.between(job.started(), now));
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        Message message = exchange.getMessage();
        JobStatus status = JobStatus.valueOf(message.getHeader(JobHeaders.STATUS, String.class));
        if (job.superseded()) {
            // Handed back on shutdown or taken by another worker: the next delivery owns every write from now on.
            throw new JobTakenOverException(job.jobId());
        }
        if (!status.isTerminal() && clock.instant().isAfter(job.deadline())) {
            throw new JobFailure("The job timed out: it took longer than the "
                    + java.time.Duration.between(job.started(), job.deadline()).toSeconds() + " s allowed");
        }
        // The last stop before the reason reaches /job, /jobs and WebSocket frames: no secret gets past it.
        String reason = status == JobStatus.FAILED
                ? SecretRedactor.redact(exchange.getProperty(JobHeaders.FAILURE_REASON, String.class))
                : null;
        jobs.transition(job.jobId(), job.owner(), job.delivery().deliveryNumber(), status, reason,
                        status == JobStatus.COMPLETED ? job.imageUrl() : null,
                        status == JobStatus.COMPLETED ? job.story() : null)
                .orElseThrow(() -> new JobTakenOverException(job.jobId()));
        if (status.isTerminal()) {
            job.ended();
        }
        recordTiming(job, status);
        if (status == JobStatus.FAILED) {
            log.warn("Job status {}: {}", status, reason);
        } else {
            log.info("Job status {}", status);
        }
    }
}
