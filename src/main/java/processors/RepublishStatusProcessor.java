package processors;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import jobs.Job;
import jobs.JobHeaders;
import jobs.JobStore;
import jobs.RedisKeys;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.redis.RedisConstants;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import jobs.JobContext;

/**
 * Prepares the event of a job's state as recorded, for {@code spring-redis} to publish again: the worker that
 * recorded the end may have died before publishing it, and subscribers must still get it. Versions make a repeat
 * harmless: a subscriber that had the frame skips it.
 */
@Component
@Profile("worker")
public class RepublishStatusProcessor implements org.apache.camel.Processor {
    private final JobStore jobs;
    private final ObjectMapper json;

    public RepublishStatusProcessor(JobStore jobs, ObjectMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        JobContext context = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        Job job = jobs.find(context.jobId()).orElse(null);
        Message message = exchange.getMessage();
        if (job == null) {
            message.removeHeader(RedisConstants.MESSAGE);
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", job.version());
        event.put("job", job.view());
        message.setHeader(RedisConstants.CHANNEL, RedisKeys.EVENTS_CHANNEL);
        message.setHeader(RedisConstants.MESSAGE, json.writeValueAsString(event));
    }
}
