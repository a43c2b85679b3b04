package processors;

import access.Client;
import access.JobLimits;
import ingest.Upload;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Counts a new job against the client's hourly limit and the deployment's daily budget, or refuses it with a 429,
 * before any of its photos is stored. Idempotent repeats never get here, so they are never counted.
 */
@Component
public class AdmitJobProcessor implements Processor {
    private final JobLimits limits;

    public AdmitJobProcessor(JobLimits limits) {
        this.limits = limits;
    }

    @Override
    public void process(Exchange exchange) {
        Client client = exchange.getProperty(JobHeaders.CLIENT, Client.class);
        Upload upload = exchange.getProperty(JobHeaders.UPLOAD, Upload.class);
        exchange.setProperty(JobHeaders.ADMISSION, limits.admit(client, upload.jobId()));
    }
}
