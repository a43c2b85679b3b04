package processors;

import access.Client;
import clients.StorageLayout;
import ingest.Upload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jobs.JobHeaders;
import jobs.JobStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/** Records the QUEUED job and enqueues it in one Redis step, once every input is stored. */
@Component
public class CreateJobProcessor implements Processor {
    private static final Logger log = LoggerFactory.getLogger(CreateJobProcessor.class);

    private static final int EXISTS_ATTEMPTS = 4;
    private static final Duration EXISTS_PAUSE = Duration.ofMillis(500);

    private final JobStore jobs;
    private final StorageLayout layout;

    public CreateJobProcessor(JobStore jobs, StorageLayout layout) {
        this.jobs = jobs;
        this.layout = layout;
    }

    /** Whether the job record exists: asked a few times, as Redis just failed to answer; empty when it never does. */
    private Optional<Boolean> exists(String jobId) {
        for (int attempt = 1; attempt <= EXISTS_ATTEMPTS; attempt++) {
            try {
                return Optional.of(jobs.find(jobId).isPresent());
            } catch (DataAccessException e) {
                log.warn("Could not check whether job {} exists (attempt {}): {}", jobId, attempt, e.getMessage());
                try {
                    Thread.sleep(EXISTS_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void process(Exchange exchange) {
        Upload upload = exchange.getProperty(JobHeaders.UPLOAD, Upload.class);
        List<String> inputs = new ArrayList<>();
        for (String objectName : upload.objectNames()) {
            inputs.add(layout.uri(objectName));
        }
        Client client = exchange.getProperty(JobHeaders.CLIENT, Client.class);
        JobStore.Created created;
        try {
            created = jobs.create(upload.jobId(), inputs, upload.idempotencyKey(),
                    client == null ? null : client.owner(), client == null ? null : client.limitKey());
        } catch (DataAccessException e) {
            // No answer is not "nothing happened": create-job may have run and queued the job before its reply was
            // lost. Ask whether the job exists before anyone deletes its photos.
            Optional<Boolean> exists = exists(upload.jobId());
            if (exists.orElse(false)) {
                log.warn("Creating the job got no answer from Redis, but the job exists: answering as queued", e);
                return;
            }
            if (exists.isEmpty()) {
                log.error("Creating the job got no answer and Redis cannot say whether it exists; keeping its inputs");
                exchange.setProperty(JobHeaders.KEEP_INPUTS, true);
            }
            throw e;
        }
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
