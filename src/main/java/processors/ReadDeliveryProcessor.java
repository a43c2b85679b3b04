package processors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import jobs.JobDelivery;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import redisstream.RedisStreamConstants;

/**
 * Turns a queue entry ({@code job_id}, {@code inputs} as JSON) into a {@link JobDelivery}; an entry nobody can read
 * becomes an empty body, which the route drops (acknowledged) rather than have it reclaimed forever.
 */
@Component
@Profile("worker")
public class ReadDeliveryProcessor implements Processor {
    private static final Logger log = LoggerFactory.getLogger(ReadDeliveryProcessor.class);
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

    private final ObjectMapper json;

    public ReadDeliveryProcessor(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String messageId = message.getHeader(RedisStreamConstants.MESSAGE_ID, String.class);
        long number = message.getHeader(RedisStreamConstants.DELIVERY_NUMBER, 1L, Long.class);
        Map<?, ?> fields = message.getBody(Map.class);
        try {
            String jobId = String.valueOf(fields.get("job_id"));
            List<String> inputs = json.readValue(String.valueOf(fields.get("inputs")), STRING_LIST);
            MDC.put("job_id", jobId);
            message.setBody(new JobDelivery(messageId, jobId, inputs, number));
            if (number > 1) {
                log.warn("Reclaimed job {} from a silent or stopping worker (delivery {}, {} counted)", jobId, number,
                        message.getHeader(RedisStreamConstants.DELIVERY_COUNT));
            }
        } catch (Exception e) {
            log.error("Dropping unreadable queue entry {}", messageId, e);
            message.setBody(null);
        }
    }
}
