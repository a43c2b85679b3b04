package processors;

import clients.ModelCallException;
import failures.Causes;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import jobs.JobFailure;

/** Turns the exception that stopped a job into the reason its user reads in {@code error_message}. */
@Component
@Profile("worker")
public class DescribeFailureProcessor implements Processor {
    private static final Logger log = LoggerFactory.getLogger(DescribeFailureProcessor.class);

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = reason(failure);
        log.error("Job failed: {}", reason, failure);
        exchange.setProperty(JobHeaders.FAILURE_REASON, reason);
    }

    static String reason(Throwable failure) {
        return Causes.find(failure, JobFailure.class).map(Throwable::getMessage)
                .or(() -> Causes.find(failure, ModelCallException.class).map(Throwable::getMessage))
                .orElse("Internal error while processing the job ("
                        + (failure == null ? "unknown" : failure.getClass().getSimpleName()) + ")");
    }
}
