package processors;

import access.JobLimits;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import jobs.JobHeaders;

/**
 * Gives back the limit a request counted when it made no job after all: it failed after {@link AdmitJobProcessor},
 * or a concurrent request with the same Idempotency-Key made the job first. Only jobs really started count.
 */
@Component
public class ReleaseAdmissionProcessor implements Processor {
    private static final Logger log = LoggerFactory.getLogger(ReleaseAdmissionProcessor.class);

    private final JobLimits limits;

    public ReleaseAdmissionProcessor(JobLimits limits) {
        this.limits = limits;
    }

    @Override
    public void process(Exchange exchange) {
        JobLimits.Admission admission = exchange.getProperty(JobHeaders.ADMISSION, JobLimits.Admission.class);
        boolean failed = exchange.getProperty(Exchange.EXCEPTION_CAUGHT) != null;
        boolean repeat = exchange.getProperty(FindRepeatedRequestProcessor.REPEAT, false, Boolean.class);
        if (admission == null || !(failed || repeat)) {
            return;
        }
        exchange.removeProperty(JobHeaders.ADMISSION);
        try {
            limits.release(admission);
        } catch (RuntimeException e) {
            // Redis may be the reason the request failed: the job then counts until its hour is over, no worse.
            log.warn("Could not give back the limit counted for a job that was not made", e);
        }
    }
}
