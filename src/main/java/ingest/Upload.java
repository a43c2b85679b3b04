package ingest;

import java.nio.file.Path;
import java.util.List;
import images.ImageFormat;
import images.Orientation;

/** A validated POST /generate: the image parts in order, the job they will belong to, and what was stored. */
public final class Upload {
    /** One accepted image part, which way up it is meant to be seen, and the object it goes to. */
    public record Image(Path file, String originalName, ImageFormat format, long size, String safeName,
            Orientation orientation) {
        public Image(Path file, String originalName, ImageFormat format, long size, String safeName) {
            this(file, originalName, format, size, safeName, Orientation.NORMAL);
        }
    }

    private final List<Image> images;
    private final String idempotencyKey;
    private List<String> objectNames = List.of();
    private String jobId;

    public Upload(List<Image> images, String idempotencyKey) {
        this.images = List.copyOf(images);
        this.idempotencyKey = idempotencyKey;
    }

    public List<Image> images() { return images; }
    public String idempotencyKey() { return idempotencyKey; }
    public String jobId() { return jobId; }
    public void jobId(String jobId) { this.jobId = jobId; }

    /** Where each image goes, in upload order: {@code inputs/{job_id}/{n}-{safe-name}}. */
    public List<String> objectNames() { return objectNames; }
    public void objectNames(List<String> objectNames) { this.objectNames = List.copyOf(objectNames); }
}
