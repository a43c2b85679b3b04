package processors;

import clients.InputImage;
import clients.StorageLayout;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import config.IoPools;
import config.PanelOneProperties;
import com.google.cloud.storage.Blob;
import images.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import jobs.JobContext;
import jobs.JobFailure;
import worker.PhotoBudget;

/** Downloads a job's photos into its own temp folder, all at once, within the 60 s download timeout. */
@Component
@Profile("worker")
public class DownloadInputsProcessor implements Processor {
    private final Storage storage;
    private final StorageLayout layout;
    private final Path tempRoot;
    private final Duration timeout;
    private final ExecutorService pool;
    private final Clock clock;
    private final PhotoBudget budget;

    public DownloadInputsProcessor(Storage storage, StorageLayout layout, PanelOneProperties properties,
            IoPools pools, Clock clock, PhotoBudget budget) {
        this.storage = storage;
        this.layout = layout;
        this.tempRoot = Path.of(properties.worker().tempDir());
        this.timeout = properties.worker().downloadTimeout();
        this.pool = pools.storageIo();
        this.clock = clock;
        this.budget = budget;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        JobContext job = exchange.getProperty(JobHeaders.JOB, JobContext.class);
        reserveRoom(job);
        Files.createDirectories(tempRoot);
        Path dir = tempRoot.resolve(job.jobId());
        Files.createDirectories(dir);
        job.tempDir(dir);

        List<CompletableFuture<InputImage>> downloads = new ArrayList<>();
        for (String uri : job.delivery().inputs()) {
            String objectName = layout.objectName(uri);
            Path target = dir.resolve(objectName.substring(objectName.lastIndexOf('/') + 1));
            downloads.add(CompletableFuture.supplyAsync(() -> download(objectName, target), pool));
        }
        Duration left = Duration.between(clock.instant(), job.deadline());
        Duration limit = left.compareTo(timeout) < 0 ? left : timeout;
        CompletableFuture<Void> all = CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new));
        try {
            all.get(Math.max(0, limit.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            downloads.forEach(download -> download.cancel(true));
            throw StoredInputs.Handling.DOWNLOAD.timedOut(limit);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : StoredInputs.Handling.DOWNLOAD.failed(e.getCause().getMessage(), e.getCause());
        }
        List<InputImage> images = new ArrayList<>();
        for (CompletableFuture<InputImage> download : downloads) {
            images.add(download.join());
        }
        job.images(images);
    }

    /**
     * Downloads one photo. It is not inspected again: intake checked it once, named the object with the extension
     * of its real format, and stored its orientation as metadata. Reading that metadata is one small request;
     * re-checking was a full read of every photo on the worker's CPU.
     */
    /**
     * Waits (up to the job's deadline) until the worker's photo budget has room for this job's photos, so the
     * worker never holds more photo bytes on disk than its memory allows, however many jobs are in flight.
     */
    private void reserveRoom(JobContext job) throws InterruptedException {
        List<CompletableFuture<Long>> sizes = new ArrayList<>();
        for (String uri : job.delivery().inputs()) {
            BlobId blob = BlobId.of(layout.bucket(), layout.objectName(uri));
            sizes.add(CompletableFuture.supplyAsync(() -> size(blob), pool));
        }
        long bytes = sizes.stream().mapToLong(CompletableFuture::join).sum();
        int reserved = budget.reserve(bytes, Duration.between(clock.instant(), job.deadline()));
        if (reserved == 0) {
            throw new JobFailure("The worker had no room for this job's photos before the job's deadline");
        }
        job.photoReservation(reserved);
    }

    /** The object's size; 0 when it cannot be read now (the download itself then reports why). */
    private long size(BlobId blob) {
        try {
            Blob found = storage.get(blob, Storage.BlobGetOption.fields(Storage.BlobField.SIZE));
            return found == null || found.getSize() == null ? 0 : found.getSize();
        } catch (StorageException e) {
            return 0;
        }
    }

    private InputImage download(String objectName, Path target) {
        try {
            BlobId id = BlobId.of(layout.bucket(), objectName);
            Blob blob = storage.get(id);
            if (blob == null) {
                throw new JobFailure("A photo of this job is missing from storage (" + objectName + ")");
            }
            storage.downloadTo(id, target);
            String mime = ImageFormat.fromObjectName(objectName).mimeType();
            return new InputImage(target.getFileName().toString(), mime, target, Files.size(target), StoredInputs.orientation(blob));
        } catch (IllegalArgumentException e) {
            throw StoredInputs.untyped(objectName, e);
        } catch (StorageException e) {
            throw StoredInputs.unreadable(StoredInputs.Handling.DOWNLOAD, objectName, e);
        } catch (IOException e) {
            throw new JobFailure("Could not save a downloaded photo: " + e.getMessage(), e);
        }
    }
}
