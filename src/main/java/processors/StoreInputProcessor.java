package processors;

import clients.StorageLayout;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import images.Orientation;
import ingest.Upload;
import java.util.Map;
import jobs.JobHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Stores one accepted image part under inputs/{job_id}/, streamed from the request's temp file.
 *
 * <p>Not through the google-storage component: its producer always calls {@code createFrom(info, InputStream)},
 * which allocates a 15 MiB buffer per object whatever its size, so 16 concurrent 4-photo requests needed about
 * 1 GiB of heap (the API ran out at 384 MiB). {@code createFrom(info, Path)} sends the file in one resumable PUT
 * straight from disk: no copy of the photo in the heap.
 */
@Component
public class StoreInputProcessor implements Processor {
    private final Storage storage;
    private final StorageLayout layout;

    public StoreInputProcessor(Storage storage, StorageLayout layout) {
        this.storage = storage;
        this.layout = layout;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Upload upload = exchange.getProperty(JobHeaders.UPLOAD, Upload.class);
        Upload.Image image = exchange.getMessage().getBody(Upload.Image.class);
        String objectName = upload.objectNames().get(exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class));
        BlobInfo.Builder info = BlobInfo.newBuilder(layout.bucket(), objectName)
                .setContentType(image.format().mimeType());
        if (image.orientation() != Orientation.NORMAL) {
            // What intake learned travels with the photo, so the worker need not open it again.
            info.setMetadata(Map.of(StorageLayout.ORIENTATION_METADATA, Integer.toString(image.orientation().exifValue())));
        }
        storage.createFrom(info.build(), image.file());
    }
}
