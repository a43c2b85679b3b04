package processors;

import clients.StorageLayout;
import clients.StoredPhoto;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import config.IoPools;
import config.PanelOneProperties;
import images.ImageFormat;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jobs.JobContext;
import jobs.JobFailure;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * When Gemini reads the photos from storage itself (PANEL_GEMINI_PHOTOS=register): checks every photo of the job is
 * there, all at once, within the 60 s download timeout, and reads what the model calls need (type, size,
 * orientation) from one metadata request each. No photo byte reaches the worker.
 */
@Component
@Profile("worker")
public class CheckInputsProcessor implements Processor {
    private static final Storage.BlobGetOption FIELDS = Storage.BlobGetOption.fields(Storage.BlobField.NAME,
            Storage.BlobField.SIZE, Storage.BlobField.METADATA);

    private final Storage storage;
    private final StorageLayout layout;
    private final Duration timeout;
    private final ExecutorService pool;
    private final Clock clock;

    public CheckInputsProcessor(Storage storage, StorageLayout layout, PanelOneProperties properties, IoPools pools,
            Clock clock) {
        this.storage = storage;
        this.layout = layout;
        this.timeout = properties.worker().downloadTimeout();
        this.pool = pools.storageIo();
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        List<CompletableFuture<StoredPhoto>> checks = new ArrayList<>();
        for (String uri : job.delivery().inputs()) {
            String objectName = layout.objectName(uri);
            checks.add(CompletableFuture.supplyAsync(() -> check(uri, objectName), pool));
        }
        Duration left = Duration.between(clock.instant(), job.deadline());
        Duration limit = left.compareTo(timeout) < 0 ? left : timeout;
        try {
            CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, limit.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            checks.forEach(check -> check.cancel(true));
            throw StoredInputs.Handling.CHECK.timedOut(limit);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : StoredInputs.Handling.CHECK.failed(e.getCause().getMessage(), e.getCause());
        }
        job.storedPhotos(checks.stream().map(CompletableFuture::join).toList());
    }

    private StoredPhoto check(String uri, String objectName) {
        try {
            Blob blob = storage.get(BlobId.of(layout.bucket(), objectName), FIELDS);
            if (blob == null) {
                throw new JobFailure("A photo of this job is missing from storage (" + objectName + ")");
            }
            String mime = ImageFormat.fromObjectName(objectName).mimeType();
            long size = blob.getSize() == null ? -1 : blob.getSize();
            return new StoredPhoto(uri, objectName.substring(objectName.lastIndexOf('/') + 1), mime, size,
                    StoredInputs.orientation(blob));
        } catch (IllegalArgumentException e) {
            throw StoredInputs.untyped(objectName, e);
        } catch (StorageException e) {
            throw StoredInputs.unreadable(StoredInputs.Handling.CHECK, objectName, e);
        }
    }
}
