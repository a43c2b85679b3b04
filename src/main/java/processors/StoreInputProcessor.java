package processors;

import clients.StorageLayout;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import config.IoPools;
import images.Orientation;
import ingest.InputUploads;
import ingest.Upload;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Stores the accepted image parts under inputs/{job_id}/, each streamed from its temp file on the input-upload
 * pool, and deletes each temp file as soon as its object is stored. {@link ReadUploadProcessor} starts a part's
 * upload as soon as the part is checked when the request is known to be new; as a step, this starts the parts not
 * yet started and waits for every one, failing with the first upload that failed.
 *
 * <p>Not through the google-storage component: its producer always calls {@code createFrom(info, InputStream)},
 * which allocates a 15 MiB buffer per object whatever its size, so 16 concurrent 4-photo requests needed about
 * 1 GiB of heap (the API ran out at 384 MiB). {@code createFrom(info, Path)} sends the file in one resumable PUT
 * straight from disk: no copy of the photo in the heap.
 */
@Component
public class StoreInputProcessor implements Processor {
    private static final Logger log = LoggerFactory.getLogger(StoreInputProcessor.class);

    private final Storage storage;
    private final StorageLayout layout;
    private final ExecutorService pool;

    public StoreInputProcessor(Storage storage, StorageLayout layout, IoPools pools) {
        this.storage = storage;
        this.layout = layout;
        this.pool = pools.inputUploads();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Upload upload = exchange.getProperty(JobHeaders.UPLOAD, Upload.class);
        InputUploads uploads = uploads(exchange, upload.jobId());
        for (int i = 0; i < upload.images().size(); i++) {
            start(uploads, i + 1, upload.images().get(i));
        }
        uploads.awaitAll();
    }

    /** The request's uploads, created under {@code jobId} when none was started while reading. */
    static InputUploads uploads(Exchange exchange, String jobId) {
        InputUploads uploads = exchange.getProperty(JobHeaders.INPUT_UPLOADS, InputUploads.class);
        if (uploads == null) {
            uploads = new InputUploads(jobId);
            exchange.setProperty(JobHeaders.INPUT_UPLOADS, uploads);
        }
        return uploads;
    }

    /** Starts part {@code number}'s upload in the background, unless it was started already. */
    void start(InputUploads uploads, int number, Upload.Image image) {
        if (uploads.started(number)) {
            return;
        }
        String objectName = layout.inputObject(uploads.jobId(), number, image.safeName());
        uploads.start(number, pool, () -> store(objectName, image));
    }

    private void store(String objectName, Upload.Image image) throws IOException {
        BlobInfo.Builder info = BlobInfo.newBuilder(layout.bucket(), objectName)
                .setContentType(image.format().mimeType());
        if (image.orientation() != Orientation.NORMAL) {
            // What intake learned travels with the photo, so the worker need not open it again.
            info.setMetadata(Map.of(StorageLayout.ORIENTATION_METADATA, Integer.toString(image.orientation().exifValue())));
        }
        storage.createFrom(info.build(), image.file());
        // Stored: the request's copy is no longer needed, even while later parts are still arriving.
        try {
            Files.deleteIfExists(image.file());
        } catch (IOException e) {
            log.warn("Could not delete upload copy {}", image.file(), e);
        }
    }
}
