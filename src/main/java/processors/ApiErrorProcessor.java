package processors;

import access.AccessRefusedException;
import failures.Causes;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import web.HttpReplies;

/**
 * Read-only API routes that fail: the refusal's own status (400/401), 503 when Redis is down, 500 otherwise, always
 * with a {@code detail}.
 */
@Component
public class ApiErrorProcessor implements Processor {
    private static final Logger log = LoggerFactory.getLogger(ApiErrorProcessor.class);

    private final HttpReplies replies;

    public ApiErrorProcessor(HttpReplies replies) {
        this.replies = replies;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof AccessRefusedException refused) {
            replies.refusal(exchange, refused);
        } else if (Causes.has(failure, DataAccessException.class)) {
            log.error("Request failed: Redis is unavailable", failure);
            replies.detail(exchange, 503, "Job records are unavailable right now. Try again shortly.");
        } else {
            log.error("Request failed", failure);
            replies.detail(exchange, 500, "Internal error. Try again.");
        }
    }
}
