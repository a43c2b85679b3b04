package clients;

import config.PanelOneProperties;
import org.springframework.stereotype.Component;

/** Where a job's objects live in the bucket (README, "How it works") and how they are named on the queue and in URLs. */
@Component
public class StorageLayout {
    private static final String GS = "gs://";
    /** Custom metadata of a stored input: its EXIF-style orientation (1 to 8), set only when not 1. */
    public static final String ORIENTATION_METADATA = "panel-orientation";

    private final String bucket;
    private final String emulatorHost;

    public StorageLayout(PanelOneProperties properties) {
        this.bucket = properties.bucket();
        this.emulatorHost = properties.usesStorageEmulator() ? properties.storageEmulatorHost() : null;
    }

    public String bucket() {
        return bucket;
    }

    public String inputPrefix(String jobId) {
        return "inputs/" + jobId + "/";
    }

    /** {@code inputs/{job_id}/{n}-{safe-name}}; the name was sanitised by the caller. */
    public String inputObject(String jobId, int number, String safeName) {
        return inputPrefix(jobId) + number + "-" + safeName;
    }

    public String panelObject(String jobId) {
        return "outputs/" + jobId + "/panel.png";
    }

    public String storyObject(String jobId) {
        return "outputs/" + jobId + "/story.txt";
    }

    public String uri(String objectName) {
        return GS + bucket + "/" + objectName;
    }

    /** The object name inside our bucket that a {@code gs://} URI from the queue points to. */
    public String objectName(String uri) {
        String prefix = GS + bucket + "/";
        if (!uri.startsWith(prefix)) {
            throw new IllegalArgumentException("Input " + uri + " is not in bucket " + bucket);
        }
        return uri.substring(prefix.length());
    }

    public String publicUrl(String objectName) {
        return StorageFactory.publicUrl(emulatorHost, bucket, objectName);
    }
}
