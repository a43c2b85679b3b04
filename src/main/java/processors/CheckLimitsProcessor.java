package processors;

import access.Client;
import access.JobLimits;
import jakarta.servlet.http.HttpServletRequest;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Refuses a client already at a limit before its photos are even read. A request with an Idempotency-Key is let
 * through to be read: it may be a repeat, which is answered whatever the limits ({@link AdmitJobProcessor} decides).
 */
@Component
public class CheckLimitsProcessor implements Processor {
    private final JobLimits limits;

    public CheckLimitsProcessor(JobLimits limits) {
        this.limits = limits;
    }

    @Override
    public void process(Exchange exchange) {
        HttpServletRequest request = exchange.getMessage().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
        String idempotencyKey = request.getHeader("Idempotency-Key");
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            limits.check(exchange.getProperty(JobHeaders.CLIENT, Client.class));
        }
    }
}
