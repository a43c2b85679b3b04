package processors;

import clients.StorageLayout;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import clients.StorageErrors;
import com.google.cloud.storage.StorageException;
import java.nio.charset.StandardCharsets;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import jobs.JobContext;
import jobs.JobFailure;

/** Stores the panel at outputs/{job_id}/panel.png and the story beside it, both publicly readable. */
@Component
@Profile("worker")
public class StoreOutputsProcessor implements Processor {
    private final Storage storage;
    private final StorageLayout layout;

    public StoreOutputsProcessor(Storage storage, StorageLayout layout) {
        this.storage = storage;
        this.layout = layout;
    }

    @Override
    public void process(Exchange exchange) {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        String panel = layout.panelObject(job.jobId());
        upload(panel, "image/png", job.panel());
        upload(layout.storyObject(job.jobId()), "text/plain; charset=utf-8",
                job.story().getBytes(StandardCharsets.UTF_8));
        job.imageUrl(layout.publicUrl(panel));
    }

    private void upload(String objectName, String contentType, byte[] bytes) {
        BlobInfo info = BlobInfo.newBuilder(layout.bucket(), objectName).setContentType(contentType).build();
        try {
            // Same name on a second delivery: the object is overwritten, so a re-run still leaves one panel.
            // No gzip: the client would otherwise compress every upload, and a PNG does not compress. For a real
            // 2K panel (~6 MB) that was most of the worker's CPU per job (BENCHMARKS.md, issue 15 levers).
            storage.create(info, bytes, Storage.BlobTargetOption.predefinedAcl(Storage.PredefinedAcl.PUBLIC_READ),
                    Storage.BlobTargetOption.disableGzipContent());
        } catch (StorageException e) {
            String message = String.valueOf(e.getMessage());
            if (message.toLowerCase().contains("uniform bucket-level access")) {
                throw new JobFailure("The panel could not be made public: bucket " + layout.bucket()
                        + " has uniform bucket-level access on (run the setup command to fix it)", e);
            }
            throw new JobFailure("Could not save the panel: " + StorageErrors.describe(e), e);
        }
    }
}
