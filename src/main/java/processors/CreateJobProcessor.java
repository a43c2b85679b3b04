package processors;

import access.Client;
import clients.StorageLayout;
import ingest.Upload;
import java.util.ArrayList;
import java.util.List;
import jobs.JobHeaders;
import jobs.JobStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Records the QUEUED job and enqueues it in one Redis step, once every input is stored. */
@Component
public class CreateJobProcessor implements Processor {
    private static final Logger log = LoggerFactory.getLogger(CreateJobProcessor.class);

    private final JobStore jobs;
    private final StorageLayout layout;

    public CreateJobProcessor(JobStore jobs, StorageLayout layout) {
        this.jobs = jobs;
        this.layout = layout;
    }

    @Override
    public void process(Exchange exchange) {
        Upload upload = exchange.getProperty(JobHeaders.UPLOAD, Upload.class);
        List<String> inputs = new ArrayList<>();
        for (String objectName : upload.objectNames()) {
            inputs.add(layout.uri(objectName));
        }
        Client client = exchange.getProperty(JobHeaders.CLIENT, Client.class);
        JobStore.Created created = jobs.create(upload.jobId(), inputs, upload.idempotencyKey(),
                client == null ? null : client.owner());
        if (created.isNew()) {
            log.info("Job queued with {} photo(s)", inputs.size());
            return;
        }
        // A concurrent request with the same Idempotency-Key won: answer with its job, drop our copies.
        log.info("Idempotency-Key already used by job {}; discarding this request's inputs", created.jobId());
        exchange.setProperty(FindRepeatedRequestProcessor.REPEAT, true);
        exchange.setProperty(JobHeaders.DELETE_INPUTS_OF, upload.jobId());
        upload.jobId(created.jobId());
    }
}
