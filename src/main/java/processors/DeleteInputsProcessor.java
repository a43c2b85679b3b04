package processors;

import clients.StorageLayout;
import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes every object under {@code inputs/{job_id}/} of the job named by the {@link #DISCARD_JOB} property.
 * Listing by prefix, not trusting a list of names, also removes an upload that completed while its request failed.
 */
@Component
public class DeleteInputsProcessor implements Processor {
    public static final String DISCARD_JOB = "panelDiscardJob";
    private static final Logger log = LoggerFactory.getLogger(DeleteInputsProcessor.class);

    private final Storage storage;
    private final StorageLayout layout;

    public DeleteInputsProcessor(Storage storage, StorageLayout layout) {
        this.storage = storage;
        this.layout = layout;
    }

    @Override
    public void process(Exchange exchange) {
        String jobId = exchange.getProperty(DISCARD_JOB, String.class);
        if (jobId != null) {
            deleteInputs(jobId);
        }
    }

    public int deleteInputs(String jobId) {
        int deleted = 0;
        Page<Blob> page = storage.list(layout.bucket(), Storage.BlobListOption.prefix(layout.inputPrefix(jobId)));
        for (Blob blob : page.iterateAll()) {
            if (storage.delete(blob.getBlobId())) {
                deleted++;
            }
        }
        log.info("Deleted {} input object(s) of job {}", deleted, jobId);
        return deleted;
    }
}
