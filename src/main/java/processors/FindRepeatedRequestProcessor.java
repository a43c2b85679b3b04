package processors;

import access.Client;
import ingest.Upload;
import jobs.JobHeaders;
import jobs.JobStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * A request whose Idempotency-Key the same client used before names the first job; nothing is uploaded again.
 */
@Component
public class FindRepeatedRequestProcessor implements Processor {
    public static final String REPEAT = "panelRepeat";

    private final JobStore jobs;

    public FindRepeatedRequestProcessor(JobStore jobs) {
        this.jobs = jobs;
    }

    @Override
    public void process(Exchange exchange) {
        Upload upload = exchange.getProperty(JobHeaders.UPLOAD, Upload.class);
        // No PING to find out Redis is down: admission (the next Redis call, before the photos are awaited) does, and
        // a refused request's photos are deleted by the error policy either way.
        boolean repeat = false;
        if (upload.idempotencyKey() != null) {
            Client client = exchange.getProperty(JobHeaders.CLIENT, Client.class);
            var existing = jobs.jobForIdempotencyKey(client == null ? null : client.limitKey(),
                    upload.idempotencyKey());
            if (existing.isPresent()) {
                upload.jobId(existing.get());
                repeat = true;
            }
        }
        exchange.setProperty(REPEAT, repeat);
    }
}
